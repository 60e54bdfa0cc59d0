import { SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { AutoComplete, Button, Input, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../shared/api-client';
import type { Suggestion } from './portal-api';
import './highlight.css';

/** Keeps the last value only after the user paused typing. */
function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * The portal's search box: suggestions while typing (choosing one opens its guide), and a search
 * button that opens the result list for the words typed.
 */
export function SearchBox({ initial = '', size = 'large' }: { initial?: string; size?: 'large' | 'middle' }) {
  const navigate = useNavigate();
  const [text, setText] = useState(initial);
  useEffect(() => setText(initial), [initial]);
  const prefix = useDebounced(text.trim(), 200);
  const suggest = useQuery({
    queryKey: ['public', 'suggest', prefix],
    queryFn: () => api.get<{ items: Suggestion[] }>('/public/suggest', { prefix }),
    enabled: prefix.length > 0,
    staleTime: 60_000,
  });

  function search(q: string) {
    const params = new URLSearchParams();
    if (q.trim()) params.set('q', q.trim());
    navigate(`/search?${params.toString()}`);
  }

  const options = (prefix ? (suggest.data?.items ?? []) : []).map((s) => ({
    key: s.id,
    value: s.title,
    id: s.id,
    // The server escapes the text and adds only <em> around the typed words.
    // biome-ignore lint/security/noDangerouslySetInnerHtml: server-escaped highlight
    label: <span className="gf-highlight" dangerouslySetInnerHTML={{ __html: s.highlight || s.title }} />,
  }));

  return (
    <Space.Compact style={{ width: '100%', maxWidth: 720 }}>
      <AutoComplete
        value={text}
        options={options}
        defaultActiveFirstOption={false}
        onChange={(value: string) => setText(value)}
        onSelect={(_value: string, option: { id: string }) => navigate(`/guide/${option.id}`)}
        style={{ flex: 1 }}
      >
        <Input
          size={size}
          placeholder="输入事项名称、关键字或拼音，如 药师、社保、hz"
          allowClear
          maxLength={100}
          data-testid="search-input"
          onPressEnter={() => search(text)}
        />
      </AutoComplete>
      <Button
        type="primary"
        size={size}
        icon={<SearchOutlined />}
        onClick={() => search(text)}
        data-testid="search-submit"
      >
        搜索
      </Button>
    </Space.Compact>
  );
}

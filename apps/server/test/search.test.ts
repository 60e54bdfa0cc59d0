import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { connect, type Db } from '../src/platform/db/connect';
import { migrateToLatest } from '../src/platform/db/migrate';
import { createSearchIndex, type SearchDocument, type SearchIndex } from '../src/platform/search';
import { escapeHtml, highlightBody, highlightTitle } from '../src/platform/search/highlight';
import { RANK_CANDIDATES } from '../src/platform/search/token-search-index';
import { allOf, analyzeQuery, pinyinTokens, textTokens } from '../src/platform/search/tokenizer';
import { createTestDatabase, type TestDatabase, testDialects } from './support/harness';

const AT = '2025-03-01T00:00:00.000Z';

function doc(
  id: string,
  title: string,
  body: string,
  facets: Record<string, string[]>,
  extra: Partial<SearchDocument> = {},
): SearchDocument {
  return { id, collection: 'items', title, body, facets, updatedAt: AT, ...extra };
}

const DOCS: SearchDocument[] = [
  doc('shebao-card', '社保卡申领', '申领第三代社会保障卡，可在银行网点办理。', {
    type: ['公共服务'],
    dept: ['人社局'],
  }),
  doc('ss-card-loss', '社会保障卡挂失', '社会保障卡遗失后应及时挂失。', {
    type: ['公共服务'],
    dept: ['人社局'],
  }),
  doc('passport', '普通护照签发', '中国公民因私出国申请普通护照。', { type: ['许可'], dept: ['公安局'] }),
  doc('exit-entry', '出入境证件办理指南', '办理往来港澳通行证，或者护照的换发、补发。', {
    type: ['公共服务'],
    dept: ['公安局'],
  }),
  doc('pharmacist', '执业药师首次注册', '执业药师注册申请 <script>alert("x")</script> & 其他材料。', {
    type: ['许可'],
    dept: ['药监局'],
    lifeEvent: ['就业'],
  }),
  doc('drugstore', '药品经营许可证核发', '零售药店应配备执业药师。', { type: ['许可'], dept: ['药监局'] }),
  doc('licence', '<b>营业执照</b>变更登记', '企业名称、住所变更。', { type: ['确认'], dept: ['市场监管局'] }),
  { ...doc('elsewhere', '护照加注', '另一个集合里的护照。', { type: ['许可'] }), collection: 'other' },
];

const ids = (r: { items: { id: string }[] }) => r.items.map((i) => i.id);

describe('search tokenizer and highlighting', () => {
  it('indexes jieba words, every Han bigram and character, ASCII words and numbers', () => {
    const tokens = textTokens('社保卡申领 GB11643-1999');
    for (const t of ['社保卡', '社保', '保卡', '申领', '社', 'gb11643', 'gb', '11643', '1999']) {
      assert.ok(tokens.includes(t), `missing ${t} in ${tokens.join(' ')}`);
    }
    assert.ok(tokens.every((t) => /^(\p{Script=Han}+|[a-z0-9]+)$/u.test(t)));
  });

  it('gives pinyin syllables and initials from every character of a title', () => {
    const tokens = pinyinTokens('执业药师首次注册');
    for (const t of ['zhiyeyaoshishoucizhuce', 'zyyssczc', 'yaoshishoucizhuce', 'yssczc', 'zhuce', 'zc']) {
      assert.ok(tokens.includes(t), `missing ${t}`);
    }
  });

  it('turns a query into groups that all must match, and finds nothing to search in punctuation', () => {
    assert.equal(analyzeQuery('社保卡').groups.length, 1);
    assert.equal(analyzeQuery('我想办理护照').groups.length, 2, '我想 is dropped, 办理 and 护照 stay');
    for (const q of ['', '   ', '，。！？', '!!!', '*', '"', "'"])
      assert.equal(analyzeQuery(q).groups.length, 0, q);
    // Three characters or more match through their bigrams, whatever jieba made of the document.
    assert.deepEqual(allOf(analyzeQuery('社保卡').groups, 'match'), {
      op: 'and',
      of: [
        {
          op: 'and',
          of: [
            { op: 'term', field: 'text', token: '社保', prefix: false },
            { op: 'term', field: 'text', token: '保卡', prefix: false },
          ],
        },
      ],
    });
  });

  it('drops operator and function words and lone letters or digits beside real words', () => {
    const groups = (q: string) => analyzeQuery(q).groups;
    assert.deepEqual(groups('药师 AND 1=1'), groups('药师'));
    assert.deepEqual(groups("药师' OR 1=1 --"), groups('药师'));
    assert.deepEqual(groups('NOT 护照 NEAR 签发'), groups('护照 签发'));
    assert.deepEqual(analyzeQuery('药师 AND 1=1').highlight, ['药师']);
    for (const q of ['的', 'and', 'OR', '我想', '我想 的 and']) assert.deepEqual(groups(q), [], q);
    // Alone, a single letter, digit or Han character is looked for in titles only.
    for (const q of ['1', 'a', '证'])
      assert.deepEqual(groups(q), [
        {
          match: { op: 'term', field: 'title', token: q, prefix: false },
          score: { op: 'term', field: 'title', token: q, prefix: false },
          narrowsOnly: false,
        },
      ]);
    // Beside a longer word, a single Han character narrows its matches but finds none by itself.
    const narrowed = groups('执业药');
    assert.equal(narrowed.length, 2);
    assert.deepEqual(
      narrowed.map((g) => g.narrowsOnly),
      [false, true],
    );
  });

  it('wraps matched characters in <em> and escapes everything else', () => {
    const q = analyzeQuery('药师 yaoshi');
    assert.equal(highlightTitle('执业药师<首次>', q), '执业<em>药师</em>&lt;首次&gt;');
    assert.equal(highlightTitle('执业药师', analyzeQuery('zyys')), '<em>执业药师</em>');
    assert.equal(
      highlightBody('<script>药师</script>', analyzeQuery('药师')),
      '&lt;script&gt;<em>药师</em>&lt;/script&gt;',
    );
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    // ASCII words only where they stand as words: "ys" is not highlighted inside "says".
    assert.equal(highlightBody('he says ys', analyzeQuery('ys')), 'he says <em>ys</em>');
    // A long body is cut around its first match.
    const long = `${'前'.repeat(300)}护照${'后'.repeat(300)}`;
    const snippet = highlightBody(long, analyzeQuery('护照'));
    assert.match(snippet, /^….*<em>护照<\/em>.*…$/);
    assert.ok(snippet.length < 200);
  });
});

for (const dialect of testDialects()) {
  describe(`search index [${dialect}]`, () => {
    let database: TestDatabase;
    let db: Db;
    let index: SearchIndex;
    const search = (
      q: string,
      extra: { filters?: Record<string, string[]>; page?: number; pageSize?: number } = {},
    ) =>
      index.search({
        collection: 'items',
        q,
        page: extra.page ?? 1,
        pageSize: extra.pageSize ?? 20,
        ...extra,
      });

    before(async () => {
      database = await createTestDatabase(dialect);
      db = connect(database.target);
      await migrateToLatest(db);
      index = createSearchIndex(db.kysely, db.dialect);
      await db.kysely.transaction().execute(async (trx) => {
        for (const d of DOCS) await index.upsert(trx, d);
      });
    });
    after(async () => {
      await db?.destroy();
      await database?.drop();
    });

    it('finds a two-character word inside a longer one: 社保 in 社保卡申领, not in 社会保障卡', async () => {
      const r = await search('社保');
      assert.deepEqual(ids(r), ['shebao-card']);
      assert.equal(r.total, 1);
      assert.equal(r.match, 'all');
      assert.equal(r.items[0].highlight.title, '<em>社保</em>卡申领');
      assert.deepEqual(ids(await search('社会保障卡')), ['ss-card-loss', 'shebao-card']);
    });

    it('finds 护照 in 普通护照签发, and ranks that title match above a body-only match', async () => {
      const r = await search('护照');
      assert.deepEqual(ids(r), ['passport', 'exit-entry']);
      assert.ok(r.items[0].score > r.items[1].score);
      assert.equal(r.items[0].highlight.title, '普通<em>护照</em>签发');
      assert.equal(r.items[1].highlight.title, '出入境证件办理指南');
      assert.match(r.items[1].highlight.body, /或者<em>护照<\/em>的换发/);
    });

    it('finds 执业药师首次注册 by 药师, by full pinyin and by initials', async () => {
      const byWord = await search('药师');
      assert.deepEqual(ids(byWord), ['pharmacist', 'drugstore'], 'title match first, then the body match');
      for (const q of ['yaoshi', 'zyys', 'ys', 'YaoShi', 'zhiye yaoshi']) {
        const r = await search(q);
        assert.equal(r.items[0]?.id, 'pharmacist', q);
        assert.ok(!ids(r).includes('drugstore'), `${q} is pinyin of titles only`);
      }
      assert.equal((await search('yaoshi')).items[0].highlight.title, '执业<em>药师</em>首次注册');
      assert.equal((await search('zyys')).items[0].highlight.title, '<em>执业药师</em>首次注册');
    });

    it('escapes markup in titles and bodies and highlights around it', async () => {
      const r = await search('注册');
      const pharmacist = r.items.find((i) => i.id === 'pharmacist');
      assert.ok(pharmacist);
      assert.ok(!pharmacist.highlight.body.includes('<script>'));
      assert.match(pharmacist.highlight.body, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; /);
      assert.match(pharmacist.highlight.body, /<em>注册<\/em>/);
      const licence = await search('营业执照');
      assert.equal(licence.items[0].highlight.title, '&lt;b&gt;<em>营业执照</em>&lt;/b&gt;变更登记');
      assert.equal(licence.items[0].title, '<b>营业执照</b>变更登记', 'the raw title is returned as given');
    });

    it('restricts results by facet filters and counts facet values', async () => {
      const all = await search('护照');
      assert.deepEqual(all.facets.dept, [{ value: '公安局', count: 2 }]);
      assert.deepEqual(all.facets.type, [
        { value: '公共服务', count: 1 },
        { value: '许可', count: 1 },
      ]);

      const licensed = await search('护照', { filters: { type: ['许可'] } });
      assert.deepEqual(ids(licensed), ['passport']);
      assert.equal(licensed.total, 1);
      assert.deepEqual(licensed.facets.dept, [{ value: '公安局', count: 1 }]);
      // The filtered facet still counts its other values, as if that filter were not there.
      assert.deepEqual(licensed.facets.type, [
        { value: '公共服务', count: 1 },
        { value: '许可', count: 1 },
      ]);

      assert.equal((await search('护照', { filters: { type: ['许可', '公共服务'] } })).total, 2);
      assert.equal((await search('护照', { filters: { type: ['许可'], dept: ['公安局'] } })).total, 1);
      assert.equal((await search('护照', { filters: { type: ['许可'], dept: ['药监局'] } })).total, 0);
      assert.equal((await search('药师', { filters: { lifeEvent: ['就业'] } })).total, 1);
      assert.equal((await search('护照', { filters: { nosuchfacet: ['x'] } })).total, 0);
      assert.equal(
        (await search('护照', { filters: { type: [] } })).total,
        2,
        'an empty list filters nothing',
      );
    });

    it('pages through results', async () => {
      const first = await search('护照', { page: 1, pageSize: 1 });
      const second = await search('护照', { page: 2, pageSize: 1 });
      const third = await search('护照', { page: 3, pageSize: 1 });
      assert.deepEqual([first.total, second.total, third.total], [2, 2, 2]);
      assert.deepEqual([...ids(first), ...ids(second), ...ids(third)], ['passport', 'exit-entry']);
    });

    it('keeps collections apart', async () => {
      assert.ok(!ids(await search('护照')).includes('elsewhere'));
      const other = await index.search({ collection: 'other', q: '护照', page: 1, pageSize: 10 });
      assert.deepEqual(ids(other), ['elsewhere']);
      assert.equal((await index.search({ collection: 'nobody', q: '护照', page: 1, pageSize: 10 })).total, 0);
    });

    it('returns nothing, without error, for an empty or punctuation-only query', async () => {
      for (const q of ['', '   ', '，。！？', '!!!', '…', '《》']) {
        assert.deepEqual(
          await search(q),
          { total: 0, items: [], facets: {}, match: 'none' },
          JSON.stringify(q),
        );
      }
    });

    it('never lets SQL or query-syntax characters through', async () => {
      const nasty = [
        "'",
        '"',
        '*',
        'OR',
        'AND',
        'NOT',
        'NEAR(',
        'NEAR(护照 签发)',
        '-',
        ':',
        '^',
        '\\',
        '%',
        '_',
        '()',
        ') OR (',
        '护照 AND',
        "护照' OR 1=1 --",
        "'; drop table search_documents; --",
        'title_tokens:护照',
        '{title_tokens body_tokens}: 护照',
        '护照:*',
        '!护照 & | <->',
        '"护照"',
        '护照*',
      ];
      for (const q of nasty) {
        await assert.doesNotReject(search(q), q);
        await assert.doesNotReject(index.suggest({ collection: 'items', prefix: q }), q);
      }
      for (const q of ['"护照"', '护照*', '护照:*', '!护照 & | <->', 'NEAR(护照 签发)']) {
        assert.equal((await search(q)).items[0]?.id, 'passport', q);
      }
      const { rows } = await sql<{ n: number }>`select count(*) as n from search_documents`.execute(
        db.kysely,
      );
      assert.equal(Number(rows[0].n), DOCS.length);
    });

    it('falls back to any word when not every word matches', async () => {
      const r = await search('护照 火星');
      assert.notEqual(r.match, 'all');
      assert.ok(ids(r).includes('passport'));
    });

    it('ranks documents matching more of the words first when none matches every word', async () => {
      const coverage = (id: string, title: string, body: string) => ({
        ...doc(id, title, body, { type: ['许可'] }),
        collection: 'coverage',
      });
      await db.kysely.transaction().execute((trx) =>
        index.upsertMany(trx, [
          // One word, in the title and again and again in the body: the strongest single-word match.
          coverage('one-word', '通行证补办', '通行证遗失后补办通行证，通行证当场补发。'),
          coverage('two-words', '出入境事务', '港澳通行证和签注可以一并办理。'),
          coverage('other', '签注申请', '只办理签注。'),
        ]),
      );
      const r = await index.search({ collection: 'coverage', q: '通行证 签注 火星', page: 1, pageSize: 10 });
      assert.equal(r.match, 'any');
      assert.equal(r.total, 3);
      assert.equal(r.items[0].id, 'two-words');
      assert.ok(r.items[0].score > r.items[1].score);
    });

    it('finds nothing for operators alone, and what the words find when operators surround them', async () => {
      for (const q of ['AND', 'OR NOT', '1=1', "' OR 1=1 --", '的'])
        assert.deepEqual(await search(q), { total: 0, items: [], facets: {}, match: 'none' }, q);
      assert.deepEqual(ids(await search('药师 AND 1=1')), ids(await search('药师')));
    });

    it(`corrects a typo through pg_trgm${dialect === 'sqlite' ? ' (PostgreSQL only)' : ''}`, async () => {
      const r = await search('yaoshl');
      if (dialect === 'postgres') {
        assert.equal(r.match, 'fuzzy');
        assert.equal(r.items[0]?.id, 'pharmacist');
      } else {
        assert.equal(r.total, 0);
      }
    });

    it('suggests titles for what has been typed so far', async () => {
      for (const prefix of ['yaos', 'zy', '执业药', 'zhiye']) {
        const s = await index.suggest({ collection: 'items', prefix });
        assert.equal(s[0]?.id, 'pharmacist', prefix);
      }
      const s = await index.suggest({ collection: 'items', prefix: '执业药' });
      assert.equal(s[0].highlight, '<em>执业药</em>师首次注册');
      assert.ok(
        !(await index.suggest({ collection: 'items', prefix: '药师' })).some((x) => x.id === 'drugstore'),
      );
      assert.deepEqual(await index.suggest({ collection: 'items', prefix: '' }), []);
    });

    describe('writes', () => {
      const mutable = (q: string, filters?: Record<string, string[]>) =>
        index.search({ collection: 'mutable', q, filters, page: 1, pageSize: 20 });
      const mdoc = (id: string, title: string, body: string, type: string) => ({
        ...doc(id, title, body, { type: [type] }),
        collection: 'mutable',
      });

      it('upserts in the caller’s transaction: a rollback leaves nothing indexed', async () => {
        await assert.rejects(
          db.kysely.transaction().execute(async (trx) => {
            await index.upsert(trx, mdoc('ghost', '幽灵证明', '不该留下', '其他'));
            throw new Error('caller fails after indexing');
          }),
          /caller fails/,
        );
        assert.equal((await mutable('幽灵')).total, 0);
      });

      it('replaces a document upserted twice, facets included', async () => {
        await db.kysely
          .transaction()
          .execute((trx) => index.upsert(trx, mdoc('m1', '护照签注', '旧的说明', '许可')));
        assert.deepEqual(ids(await mutable('护照')), ['m1']);
        assert.deepEqual((await mutable('护照')).facets.type, [{ value: '许可', count: 1 }]);
        await db.kysely
          .transaction()
          .execute((trx) => index.upsert(trx, mdoc('m1', '港澳通行证签注', '新的说明', '确认')));
        assert.equal((await mutable('护照')).total, 0, 'the old title is gone');
        const r = await mutable('港澳');
        assert.deepEqual(ids(r), ['m1']);
        assert.deepEqual(r.facets.type, [{ value: '确认', count: 1 }]);
        assert.equal((await mutable('港澳', { type: ['许可'] })).total, 0);
        const { rows } = await sql<{
          n: number;
        }>`select count(*) as n from search_documents where id = 'm1'`.execute(db.kysely);
        assert.equal(Number(rows[0].n), 1);
      });

      it('removes a document, and removing a missing one is no error', async () => {
        await db.kysely
          .transaction()
          .execute((trx) => index.upsert(trx, mdoc('m2', '港澳台通行证', '说明', '许可')));
        assert.deepEqual(new Set(ids(await mutable('通行证'))), new Set(['m1', 'm2']));
        await db.kysely.transaction().execute((trx) => index.remove(trx, 'm2'));
        assert.deepEqual(ids(await mutable('通行证')), ['m1']);
        await db.kysely.transaction().execute((trx) => index.remove(trx, 'never-there'));
        const { rows } = await sql<{
          n: number;
        }>`select count(*) as n from search_facets where doc_id = 'm2'`.execute(db.kysely);
        assert.equal(Number(rows[0].n), 0);
      });

      it('serves many concurrent searches right after a write (one reload, no pool exhaustion)', {
        timeout: 20_000,
      }, async () => {
        await db.kysely
          .transaction()
          .execute((trx) => index.upsert(trx, mdoc('m4', '台胞证换发', '说明', '许可')));
        const results = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            i % 2
              ? mutable('台胞证', { type: ['许可'] })
              : index.suggest({ collection: 'mutable', prefix: 'tbz' }),
          ),
        );
        for (const [i, r] of results.entries()) {
          if (i % 2) assert.deepEqual(ids(r as { items: { id: string }[] }), ['m4']);
          else
            assert.deepEqual(
              (r as { id: string }[]).map((s) => s.id),
              ['m4'],
            );
        }
      });

      it('another process’s writes reach this one’s cached facets and filters', async () => {
        const reader = createSearchIndex(db.kysely, db.dialect);
        const writer = createSearchIndex(db.kysely, db.dialect);
        const read = (filters?: Record<string, string[]>) =>
          reader.search({ collection: 'mutable', q: '通行证', filters, page: 1, pageSize: 20 });
        assert.equal((await read({ type: ['奖励'] })).total, 0);
        await db.kysely
          .transaction()
          .execute((trx) => writer.upsert(trx, mdoc('m3', '往来台湾通行证', '说明', '奖励')));
        const r = await read({ type: ['奖励'] });
        assert.deepEqual(ids(r), ['m3']);
        await db.kysely.transaction().execute((trx) => writer.remove(trx, 'm3'));
        assert.equal((await read({ type: ['奖励'] })).total, 0);
      });
    });

    it(`ranks more than ${RANK_CANDIDATES} matches by tiers: title matches first, all counted`, async () => {
      const many: SearchDocument[] = [];
      for (let i = 0; i < RANK_CANDIDATES + 50; i++) {
        const inTitle = i % 100 === 7;
        many.push({
          id: `bulk-${i}`,
          collection: 'bulk',
          title: inTitle ? `第${i}号驾驶证换领` : `第${i}号其他事项`,
          body: '申请人须提交驾驶证复印件。',
          facets: { kind: [inTitle ? 'title' : 'body'] },
          // Newest first among equals: the body-only documents are the newer ones.
          updatedAt: new Date(Date.UTC(2025, 0, 1) + (inTitle ? 0 : i) * 60_000).toISOString(),
        });
      }
      await db.kysely.transaction().execute((trx) => index.upsertMany(trx, many));
      const r = await index.search({ collection: 'bulk', q: '驾驶证', page: 1, pageSize: 20 });
      assert.equal(r.total, many.length);
      const titled = many.filter((d) => d.facets.kind[0] === 'title').length;
      assert.deepEqual(r.facets.kind, [
        { value: 'body', count: many.length - titled },
        { value: 'title', count: titled },
      ]);
      assert.ok(
        r.items.slice(0, titled).every((i) => i.title.includes('驾驶证')),
        'every title match comes before the body-only ones',
      );
      assert.ok(!r.items[titled].title.includes('驾驶证'));
      const filtered = await index.search({
        collection: 'bulk',
        q: '驾驶证',
        filters: { kind: ['title'] },
        page: 1,
        pageSize: 5,
      });
      assert.equal(filtered.total, titled);
      assert.equal(filtered.items.length, 5);
    });
  });
}

import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { DEMO_ITEMS } from '../src/seed/catalog/demo-items';
import { describeEachDialect, type TestApp } from './support/harness';

interface Card {
  id: string;
  name: string;
  catalogCode: string;
  highlight: { title: string; body: string };
  promisedLimit: string;
}

describeEachDialect(
  'public catalogue: search, navigation, guide',
  (get) => {
    let t: TestApp;
    const search = async (query: string) => {
      const res = await t.inject({ method: 'GET', url: `/api/v1/public/search?${query}` });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as {
        total: number;
        items: Card[];
        facets: Record<string, { value: string; count: number }[]>;
      };
    };
    before(() => {
      t = get();
    });

    it('finds the pharmacist item by 药师, by pinyin and by initials, highlighted and ranked first', async () => {
      for (const q of ['药师', 'yaoshi', 'zyys']) {
        const r = await search(`q=${encodeURIComponent(q)}`);
        assert.ok(r.total >= 1, q);
        assert.equal(r.items[0].name.startsWith('执业药师'), true, `${q}: ${r.items[0].name}`);
      }
      const r = await search(`q=${encodeURIComponent('药师')}`);
      const first = r.items.find((i) => i.name === '执业药师首次注册') as Card;
      assert.equal(first.highlight.title, '执业<em>药师</em>首次注册');
      assert.equal(first.promisedLimit, '10 个工作日');
    });

    it('matches two-character words and filters by facets with counts', async () => {
      const passports = await search(`q=${encodeURIComponent('护照')}`);
      assert.ok(passports.items.some((i) => i.name === '普通护照签发'));
      const social = await search(`q=${encodeURIComponent('社保')}`);
      assert.ok(social.total >= 1);
      const all = await search(`q=${encodeURIComponent('许可')}&pageSize=50`);
      const licensing = all.facets.type.find((f) => f.value === '行政许可') as { count: number };
      assert.ok(licensing.count > 10);
      const filtered = await search(
        `q=${encodeURIComponent('许可')}&type=${encodeURIComponent('行政许可')}&pageSize=50`,
      );
      assert.equal(filtered.total, licensing.count, 'the facet count is what the filter gives');
    });

    it('browses a navigation axis without words, and counts the axes', async () => {
      const nav = (await t.inject({ method: 'GET', url: '/api/v1/public/navigation' })).json();
      const theme = nav.persons.theme.find((x: { value: string }) => x.value === '社保');
      assert.ok(theme && theme.count > 0);
      const browsed = await search(`theme=${encodeURIComponent('社保')}&pageSize=50`);
      assert.equal(browsed.total, theme.count);
      assert.ok(nav.departments.length >= 12);
      const nothing = await search('q=');
      assert.equal(nothing.total, 0);
    });

    it('never breaks on hostile queries', async () => {
      for (const q of [
        "'",
        '"',
        '*',
        'OR',
        'NEAR(',
        '-',
        ':',
        "'); DROP TABLE catalog_items;--",
        '<script>',
        '%',
        '_',
      ]) {
        const r = await search(`q=${encodeURIComponent(q)}`);
        assert.ok(Array.isArray(r.items), q);
      }
      const xss = await search(`q=${encodeURIComponent('<script>药师')}`);
      for (const i of xss.items) assert.doesNotMatch(i.highlight.title + i.highlight.body, /<script>/);
    });

    const idsOf = (r: { items: Card[] }) => r.items.map((i) => i.id);
    const q = (text: string) => `q=${encodeURIComponent(text)}&pageSize=50`;

    it('reads operators, quotes and SQL as text: 药师 AND 1=1 finds what 药师 finds, and nothing more', async () => {
      const plain = await search(q('药师'));
      assert.equal(plain.total, 5, 'the five pharmacist and drug items of the demo catalogue');
      for (const text of [
        '药师 AND 1=1',
        "药师' OR 1=1 --",
        '"药师"',
        '药师 OR',
        'NOT 药师',
        '(药师)',
        '药师 a 1',
      ]) {
        const r = await search(q(text));
        assert.equal(r.total, plain.total, text);
        assert.deepEqual(new Set(idsOf(r)), new Set(idsOf(plain)), text);
      }
    });

    it('does not answer a lone character, digit or function word with the catalogue', async () => {
      const everything = (await t.inject({ method: 'GET', url: '/api/v1/public/navigation' })).json()
        .types as { count: number }[];
      const published = everything.reduce((n, x) => n + x.count, 0);
      assert.ok(published >= 300);
      for (const text of ['的', 'AND', '1=1', "' OR 1=1 --", '我想']) {
        assert.equal((await search(q(text))).total, 0, text);
      }
      // What an item's title tokens hold besides its name: its keywords and the name of its result.
      const keywordsOf = new Map(
        DEMO_ITEMS.map((i) => [i.legal.name, [...(i.service.keywords ?? []), i.legal.resultName ?? '']]),
      );
      for (const text of ['1', 'a', 'A', '证']) {
        const r = await search(q(text));
        assert.ok(r.total < published / 2, `${text}: ${r.total} of ${published}`);
        const needle = text.toLowerCase();
        for (const item of r.items) {
          const titleLike = [item.name, ...(keywordsOf.get(item.name) ?? [])].join(' ').toLowerCase();
          assert.ok(titleLike.includes(needle), `${text} found ${item.name} by its body`);
        }
      }
    });

    it('ranks items matching more of the words first when none matches them all', async () => {
      const both = idsOf(await search(q('药师 注册')));
      assert.ok(both.length >= 2);
      const either = new Set([...idsOf(await search(q('药师'))), ...idsOf(await search(q('注册')))]);
      const r = await search(q('药师 注册 火星'));
      assert.equal(r.total, either.size, 'every item with one of the words, none by 火星');
      assert.deepEqual(new Set(idsOf(r).slice(0, both.length)), new Set(both), 'those with both words first');
    });

    it('takes a suspended item out of search and guide, and puts it back on resume', async () => {
      const id = (await search(`q=${encodeURIComponent('普通护照签发')}`)).items.find(
        (i) => i.name === '普通护照签发',
      )?.id as string;
      const admin = await t.login('zhaolei');
      const act = (action: string) =>
        t.inject({
          method: 'POST',
          url: `/api/v1/catalog/items/${id}/${action}`,
          headers: { cookie: admin },
          payload: { reason: '系统升级' },
        });
      assert.equal((await act('suspend')).statusCode, 200);
      assert.ok(!(await search(`q=${encodeURIComponent('护照')}`)).items.some((i) => i.id === id));
      assert.equal(
        (await t.inject({ method: 'GET', url: `/api/v1/public/items/${id}/guide` })).statusCode,
        404,
      );
      assert.equal((await act('resume')).statusCode, 200);
      assert.ok((await search(`q=${encodeURIComponent('护照')}`)).items.some((i) => i.id === id));
    });

    it('counts guide views into hot items', async () => {
      const target = (await search(`q=${encodeURIComponent('对教师申诉作出的裁决')}`)).items[0];
      await t.ctx.db
        .updateTable('catalog_items')
        .set({ popularity: 5000 })
        .where('id', '=', target.id)
        .execute();
      const guide = await t.inject({
        method: 'GET',
        url: `/api/v1/public/items/${target.catalogCode}/guide`,
      });
      assert.equal(guide.statusCode, 200);
      const statutory = guide.json().elements.find((e: { key: string }) => e.key === 'statutoryLimit').value;
      assert.equal(statutory, '30 个工作日');
      await t.ctx.catalog.flushViews();
      const hot = (await t.inject({ method: 'GET', url: '/api/v1/public/hot?limit=3' })).json();
      assert.equal(hot.items[0].id, target.id);
      const row = await t.ctx.db
        .selectFrom('catalog_items')
        .select('popularity')
        .where('id', '=', target.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.popularity, 5001, 'the view was counted');
    });

    it('lists related items sharing themes or life events', async () => {
      const hit = (await search(`q=${encodeURIComponent('社会保障卡申领')}`)).items[0];
      const guide = (await t.inject({ method: 'GET', url: `/api/v1/public/items/${hit.id}/guide` })).json();
      assert.ok(guide.related.length > 0);
      assert.ok(guide.related.every((r: { id: string }) => r.id !== hit.id));
      const firstRelated = (
        await t.inject({ method: 'GET', url: `/api/v1/public/items/${guide.related[0].id}/guide` })
      ).json();
      const shared = (a: typeof guide, b: typeof guide) =>
        [...a.navigation.themes, ...a.navigation.lifeEvents, ...a.navigation.targetGroups].filter(
          (x: string) =>
            [...b.navigation.themes, ...b.navigation.lifeEvents, ...b.navigation.targetGroups].includes(x),
        );
      assert.ok(shared(guide, firstRelated).length > 0, 'the related item shares a tag');
    });

    const guideOf = async (name: string) => {
      const hit = (await search(q(name))).items.find((i) => i.name === name) as Card;
      assert.ok(hit, name);
      return (await t.inject({ method: 'GET', url: `/api/v1/public/items/${hit.id}/guide` })).json();
    };
    const demo = (name: string) =>
      DEMO_ITEMS.find((i) => i.legal.name === name) as (typeof DEMO_ITEMS)[number];
    const topicsOf = (name: string) => {
      const s = demo(name).service;
      return new Set([...(s.themes ?? []), ...(s.lifeEvents ?? [])]);
    };

    it('relates 执业药师首次注册 to pharmacist and drug items, not to 失业保险 or 劳动仲裁', async () => {
      const guide = await guideOf('执业药师首次注册');
      const related = guide.related as { name: string; department: string }[];
      assert.ok(related.length >= 3, JSON.stringify(related));
      assert.equal(related[0].name, '执业药师延续注册', 'the same registration, same department, first');
      for (const r of related) {
        assert.ok(topicsOf(r.name).has('食品药品'), `${r.name} is not a drug item`);
        assert.doesNotMatch(r.name, /失业|劳动|就业|仲裁/);
      }
    });

    it('relates items by theme and department, never by one shared tag alone', async () => {
      for (const name of [
        '执业药师首次注册',
        '失业保险金给付',
        '普通护照签发',
        '内地居民结婚登记',
        '城市道路挖掘修复费征收',
      ]) {
        const self = demo(name);
        const related = (await guideOf(name)).related as { name: string; department: string }[];
        assert.ok(related.length > 0, name);
        const kind = (body: string) => body.replace(/^.+?[市区]/, '');
        for (const r of related) {
          const body = demo(r.name).legal.implementingBody as string;
          const shared = [...topicsOf(r.name)].filter((x) => topicsOf(name).has(x));
          const sameKind = kind(body) === kind(self.legal.implementingBody as string);
          assert.ok(
            shared.length >= 2 || (shared.length === 1 && sameKind),
            `${name} → ${r.name} (${body}) shares only ${shared.join('、') || 'nothing'}`,
          );
          assert.equal(r.department, body, 'the department is named');
        }
      }
    });

    it('says how to apply: online only as coming, and where the window is, when it is open and whom to call', async () => {
      const pharmacist = (await guideOf('执业药师首次注册')).howToApply;
      assert.deepEqual(pharmacist, {
        online: 'coming',
        window: false,
        appointment: false,
        courier: true,
        payment: false,
        department: '沈阳市市场监督管理局',
        location: '沈阳市政务服务中心市场准入专区',
        officeHours: '法定工作日 8:30—11:30，13:00—16:30',
        enquiryPhone: '12315',
        supervisionPhone: '12345',
        visitsRequired: 0,
      });
      for (const name of ['普通护照签发', '城市道路挖掘修复费征收']) {
        const how = (await guideOf(name)).howToApply;
        const channels = demo(name).service.channels;
        assert.equal(how.online, channels.includes('online') ? 'coming' : 'none', name);
        assert.equal(how.window, channels.includes('window') || channels.includes('appointment'), name);
        assert.equal(how.location, demo(name).service.location, name);
        assert.ok(how.location && how.officeHours && how.enquiryPhone, name);
      }
    });

    it('suggests titles as the user types', async () => {
      const s = (await t.inject({ method: 'GET', url: '/api/v1/public/suggest?prefix=zyys' })).json();
      assert.ok(s.items.some((i: { title: string }) => i.title === '执业药师首次注册'));
    });

    it('carries the real figures of the named demo items', async () => {
      const guide = async (name: string) => {
        const hit = (await search(`q=${encodeURIComponent(name)}`)).items.find(
          (i) => i.name === name,
        ) as Card;
        assert.ok(hit, name);
        return (await t.inject({ method: 'GET', url: `/api/v1/public/items/${hit.id}/guide` })).json();
      };
      const el = (g: { elements: { key: string; value: string }[] }, key: string) =>
        g.elements.find((e) => e.key === key)?.value;
      const foreign = await guide('外商投资的公司备案登记');
      assert.equal(el(foreign, 'caseType'), '即办件');
      assert.equal(el(foreign, 'statutoryLimit'), '20 个工作日');
      const road = await guide('城市道路挖掘修复费征收');
      assert.match(el(road, 'fees') ?? '', /沥青路面 520 元/);
      assert.match(el(road, 'fees') ?? '', /土路面 30 元/);
    });

    it('counts a view once per visitor and window, limits a flood with 429 and writes counts in batches', async () => {
      const [first, second] = (await search(`q=${encodeURIComponent('药师')}`)).items;
      const popularity = async (id: string) =>
        Number(
          (
            await t.ctx.db
              .selectFrom('catalog_items')
              .select('popularity')
              .where('id', '=', id)
              .executeTakeFirstOrThrow()
          ).popularity,
        );
      await t.ctx.catalog.flushViews();
      // Both far above every other item, the second one view ahead of the first.
      for (const [id, p] of [
        [first.id, 100_000],
        [second.id, 100_001],
      ] as const)
        await t.ctx.db.updateTable('catalog_items').set({ popularity: p }).where('id', '=', id).execute();
      const view = (item: Card, remoteAddress: string) =>
        t.inject({ method: 'GET', url: `/api/v1/public/items/${item.catalogCode}/guide`, remoteAddress });

      // 995 views from one address: one counted, the flood refused with the standard error shape.
      const codes = new Map<number, number>();
      let limited: { code: string; message: string; requestId: string } | undefined;
      for (let i = 0; i < 995; i++) {
        const res = await view(first, '198.51.100.7');
        codes.set(res.statusCode, (codes.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode === 429) limited ??= res.json();
      }
      // 120 a minute pass (a slow machine may see the window turn once or twice); the rest are 429.
      assert.ok((codes.get(200) ?? 0) >= 1 && (codes.get(200) ?? 0) <= 360, `${[...codes]}`);
      assert.equal((codes.get(200) ?? 0) + (codes.get(429) ?? 0), 995);
      assert.equal(limited?.code, 'RATE_LIMITED');
      assert.ok(limited?.message && limited.requestId);
      // Two more visitors of the first item; three visitors of the second.
      for (const ip of ['198.51.100.8', '198.51.100.9'])
        assert.equal((await view(first, ip)).statusCode, 200);
      for (const ip of ['198.51.100.20', '198.51.100.21', '198.51.100.22'])
        assert.equal((await view(second, ip)).statusCode, 200);
      // An IPv6 subscriber holds a whole /64: twenty of its addresses are one visitor.
      for (let i = 1; i <= 20; i++)
        assert.equal((await view(second, `2001:db8:7:1::${i.toString(16)}`)).statusCode, 200);
      assert.equal(await popularity(first.id), 100_000, 'nothing is written per view');
      assert.equal(await t.ctx.catalog.flushViews(), 2, 'two items to write, in one batch');
      assert.equal(await popularity(first.id), 100_003, 'three visitors, three views');
      assert.equal(await popularity(second.id), 100_005, 'three IPv4 visitors and one IPv6 network');
      const hot = (await t.inject({ method: 'GET', url: '/api/v1/public/hot?limit=2' })).json();
      assert.deepEqual(
        hot.items.map((c: Card) => c.id),
        [second.id, first.id],
        'distinct visitors, not requests, order the hot list',
      );
      // Once the window has passed, a visitor counts again.
      t.clock.advance(31 * 60_000);
      assert.equal((await view(first, '198.51.100.8')).statusCode, 200);
      assert.equal((await view(second, '198.51.100.8')).statusCode, 200);

      // What is pending is written when the app closes, too.
      await t.app.close();
      assert.equal(await popularity(first.id), 100_004);
      assert.equal(await popularity(second.id), 100_006);
    });
  },
  { seedCatalog: true },
);

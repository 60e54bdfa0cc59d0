import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ADMIN_CLASSES, type AdminClass } from '@govflow/shared';
import type { Config } from '../config';
import { createContext } from '../context';
import { exportItems, importItems } from '../modules/catalog/spreadsheet';
import { RESOURCE_SOURCE_NAMES, RESOURCE_SOURCES } from '../modules/datahub/resource-sources';
import { signedHeaders } from '../modules/datahub/signing';
import { migrateToLatest } from '../platform/db/migrate';
import { type Caller, systemCaller } from '../platform/http/caller';
import { AppError } from '../platform/http/errors';
import { ADMIN_ROLE_OF_CLASS, ensureBaseRoles } from '../seed/base-roles';
import { seedCatalog } from '../seed/catalog/seed-demo-catalog';
import { seedDatahub } from '../seed/datahub';
import { DEMO_ACCOUNTS, seedDemoCity } from '../seed/demo-city';
import { loadConfigOrExit, localServerUrl } from '../server';
import { progressBar } from './progress';

const HELP = `GovFlow command line — npm run govflow -- <command> [options]

  migrate                         apply database migrations
  seed --demo                     seed the demo city, departments and accounts (idempotent)
  create-root-region --code C --name N
                                  create the top region of a new installation (e.g. 210100 沈阳市)
  create-admin --username U --display-name N --class system|security|audit [--password P]
                                  create one of the three separated administrators
                                  (password from --password or GOVFLOW_ADMIN_PASSWORD)
  seed-datahub --persons N [--seed S]
                                  fill an empty population library with N synthetic, consistent people
  verify-audit [--anchor FILE]    walk the audit hash chain; exit 2 naming the first broken entry;
                                  with --anchor, also check every anchor recorded in FILE
  audit-anchor [--out FILE]       print the chain head {seq, hash, at} as a JSON line (and append it
                                  to FILE): keep it outside the database to detect truncation
  import-items FILE [--publish]   import an implementation-list workbook (.xlsx); rejected rows are
                                  listed with row number and reason; exit 3 when any row is rejected.
                                  With --publish, imported items are published at once
  export-items FILE               write the published items to an implementation-list workbook
  datahub-source-keeper --source S --org ORG
                                  name the department (org id or exact name) that keeps a local
                                  library; only its resources may serve from it (audited). Libraries:
                                  ${RESOURCE_SOURCE_NAMES.join(', ')}
  datahub-call --resource R --subject S --purpose P [--url URL]
                                  a signed data hub query as a registered application would send it
                                  (GOVFLOW_APP_KEY and GOVFLOW_APP_SECRET from the app registry page),
                                  to the server at HOST and PORT as the server reads them, or to --url
  help                            this text

The database is chosen as for the server: DATABASE_URL, else DATA_DIR/govflow.db.`;

/** The commands that may start from no database at all: they set an installation up. */
const SETS_UP = new Set(['migrate', 'seed', 'create-root-region', 'create-admin']);

/** Signs and sends one query like a registered application; prints the status and the answer. */
async function datahubCall(
  v: { resource?: string; subject?: string; purpose?: string; url?: string },
  config: Config,
) {
  const appKey = process.env.GOVFLOW_APP_KEY;
  const secret = process.env.GOVFLOW_APP_SECRET;
  if (!appKey || !secret || !v.resource || !v.subject || !v.purpose) {
    throw usage(
      'datahub-call needs --resource, --subject, --purpose, and GOVFLOW_APP_KEY / GOVFLOW_APP_SECRET',
    );
  }
  const path = '/api/v1/datahub/query';
  const body = JSON.stringify({ resource: v.resource, subject: v.subject, purpose: v.purpose });
  let target: URL;
  try {
    target = new URL(path, v.url ?? localServerUrl(config));
  } catch {
    throw failure(`--url 不是有效的地址：${v.url}`);
  }
  let res: Response;
  try {
    res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedHeaders(appKey, secret, 'POST', path, body) },
      body,
    });
  } catch (err) {
    throw failure(
      `无法连接 GovFlow 服务器 ${target.origin}（${systemReason(err)}）：请确认服务器已启动，且 PORT、HOST 与服务器相同，或用 --url 指定地址`,
    );
  }
  console.log(`HTTP ${res.status}`);
  const text = await res.text();
  try {
    console.log(JSON.stringify(JSON.parse(text), null, 2));
  } catch {
    console.log(text);
  }
  return res.ok ? 0 : 4;
}

const OPTIONS = {
  demo: { type: 'boolean' },
  username: { type: 'string' },
  'display-name': { type: 'string' },
  class: { type: 'string' },
  password: { type: 'string' },
  code: { type: 'string' },
  name: { type: 'string' },
  anchor: { type: 'string' },
  persons: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  publish: { type: 'boolean' },
  resource: { type: 'string' },
  subject: { type: 'string' },
  purpose: { type: 'string' },
  url: { type: 'string' },
  source: { type: 'string' },
  org: { type: 'string' },
} as const;

/** The command line's options; a mistake in them is a usage error, not a stack. */
function parseOptions(args: string[]) {
  try {
    return parseArgs({ args, allowPositionals: true, options: OPTIONS, strict: true });
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS')) throw err;
    const option = /'(-[^']*)'/.exec((err as Error).message)?.[1] ?? '';
    throw usage(
      code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? `未知选项 ${option}` : `选项 ${option} 缺少取值或取值有误`,
    );
  }
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(HELP);
    return 0;
  }
  const { values, positionals } = parseOptions(rest);
  const config = loadConfigOrExit({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  if (command === 'datahub-call') return datahubCall(values, config);
  // Only the commands that set up an installation may create its database. Checking or reading one
  // that is not there (a mistyped DATA_DIR) would otherwise check a new, empty database and say
  // "intact".
  if (config.database.dialect === 'sqlite' && !SETS_UP.has(command) && !fs.existsSync(config.database.file)) {
    throw failure(
      `数据库 ${config.database.file} 不存在：请检查 DATA_DIR 或 DATABASE_URL（新安装先运行 npm start 或 npm run govflow -- migrate）`,
    );
  }
  const ctx = createContext(config);
  try {
    let applied: string[];
    try {
      const migrated = await migrateToLatest(ctx.database);
      applied = migrated.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
      await ensureBaseRoles(ctx);
    } catch (err) {
      if (!isSystemError(err)) throw err;
      throw failure(
        `无法打开数据库 ${describeDatabase(config)}（${systemReason(err)}）：请检查 DATABASE_URL 或 DATA_DIR`,
      );
    }
    switch (command) {
      case 'migrate':
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
        return 0;
      case 'seed': {
        if (!values.demo) throw usage('seed needs --demo (the only data set so far)');
        const { created: cityCreated } = await seedDemoCity(ctx, (step) =>
          process.stderr.write(`seeding ${step}…\n`),
        );
        const bar = progressBar('seeding the demo catalogue');
        const { created: itemsCreated } = await seedCatalog(
          ctx,
          undefined,
          (done, total) => bar.update(done, total),
          operatorCaller('demo-seed'),
        );
        bar.done();
        const created = cityCreated + itemsCreated;
        console.log(
          created
            ? `demo city seeded (${created} records created)`
            : 'demo city already present, nothing to do',
        );
        for (const a of DEMO_ACCOUNTS) console.log(`  ${a.username.padEnd(10)} ${a.password}  ${a.what}`);
        return 0;
      }
      case 'create-root-region': {
        if (!values.code || !values.name) throw usage('create-root-region needs --code and --name');
        const org = await ctx.identity.orgs.create(systemCaller(), {
          parentId: null,
          kind: 'region',
          name: values.name,
          code: values.code,
        });
        console.log(`created region ${org.name} (${org.code}) id ${org.id}`);
        return 0;
      }
      case 'create-admin': {
        const cls = values.class as AdminClass;
        const password = values.password ?? process.env.GOVFLOW_ADMIN_PASSWORD;
        if (!values.username || !values['display-name'] || !(cls in ADMIN_CLASSES) || !password) {
          throw usage(
            'create-admin needs --username, --display-name, --class system|security|audit and a password',
          );
        }
        const root = await ctx.db
          .selectFrom('orgs')
          .select(['id', 'name'])
          .where('parent_id', 'is', null)
          .orderBy('created_at')
          .executeTakeFirst();
        if (!root) throw usage('no organisation yet: run `create-root-region` (or `seed --demo`) first');
        const user = await ctx.identity.users.create(systemCaller(), {
          username: values.username,
          displayName: values['display-name'],
          password,
          posts: [{ orgId: root.id, roleCode: ADMIN_ROLE_OF_CLASS[cls], title: ADMIN_CLASSES[cls] }],
          mustChangePassword: true,
        });
        console.log(`created ${ADMIN_CLASSES[cls]} ${user.username} at ${root.name}`);
        return 0;
      }
      case 'seed-datahub': {
        const persons = Number(values.persons);
        if (!Number.isInteger(persons) || persons < 1 || persons > 5_000_000) {
          throw usage('seed-datahub needs --persons N (1 to 5,000,000)');
        }
        const bar = progressBar('seeding the population library');
        const { created } = await seedDatahub(ctx, persons, Number(values.seed ?? 1), (done, total) =>
          bar.update(done, total),
        );
        bar.done();
        console.log(
          created
            ? `population library seeded: ${created} persons`
            : 'the population library already holds people; nothing done',
        );
        return 0;
      }
      case 'datahub-source-keeper': {
        const source = RESOURCE_SOURCE_NAMES.find((n) => n === values.source);
        if (!source || !values.org)
          throw usage(`datahub-source-keeper needs --source (${RESOURCE_SOURCE_NAMES.join(', ')}) and --org`);
        const org =
          (await ctx.identity.orgs.get(values.org)) ??
          (await ctx.db.selectFrom('orgs').selectAll().where('name', '=', values.org).executeTakeFirst());
        if (!org) throw usage(`no organisation with id or name "${values.org}"`);
        await ctx.datahub.sharing.assignKeeper(systemCaller(), source, org.id);
        console.log(`${RESOURCE_SOURCES[source].title} is kept by ${org.name}`);
        return 0;
      }
      case 'audit-anchor': {
        const head = await ctx.audit.head();
        if (!head) throw usage('the audit trail is empty');
        const line = JSON.stringify(head);
        if (values.out) fs.appendFileSync(values.out, `${line}\n`);
        console.log(line);
        return 0;
      }
      case 'verify-audit': {
        // A missing or damaged anchor file is reported before the long walk, not after it.
        const anchors = values.anchor ? readAnchors(values.anchor) : null;
        const bar = progressBar('verifying audit chain');
        const result = await ctx.audit.verify((done, total) => bar.update(done, total));
        bar.done();
        if (anchors) {
          const problems = await ctx.audit.checkAnchors(anchors);
          for (const p of problems) console.error(`审计锚点不符：${p.reason}（${p.code}）`);
          if (problems.length) return 2;
          console.log(`${anchors.length} anchors found in the chain`);
        }
        if (result.ok) {
          console.log(`audit chain intact: ${result.checked} entries verified`);
          return 0;
        }
        const b = result.firstBroken;
        console.error(
          `审计哈希链断裂：${b?.reason}（${b?.code}，记录编号 ${b?.id}）；共校验 ${result.checked} 条，断裂 ${result.brokenCount} 处`,
        );
        for (const e of result.broken.slice(1)) console.error(`  另一处断裂：${e.reason}（${e.code}）`);
        return 2;
      }
      case 'import-items': {
        const file = positionals[0];
        if (!file) throw usage('import-items needs a FILE');
        const workbook = fileOperation(`无法读取 ${file}`, () => fs.readFileSync(file));
        const bar = progressBar('importing items');
        const report = await importItems(ctx, operatorCaller('govflow-cli import-items'), workbook, {
          publish: Boolean(values.publish),
          listRejected: Number.POSITIVE_INFINITY,
          onProgress: (done, total) => bar.update(done, total),
        });
        bar.done();
        console.log(
          `imported ${report.imported} of ${report.total} items${values.publish ? ' (published)' : ' (as drafts)'}`,
        );
        if (report.rejectedCount === 0) return 0;
        console.log(`${report.rejectedCount} rows rejected:`);
        for (const r of report.rejected)
          console.log(`  ${r.sheet} row ${r.row}${r.basicCode ? ` [${r.basicCode}]` : ''}: ${r.reason}`);
        return 3;
      }
      case 'export-items': {
        const file = positionals[0];
        if (!file) throw usage('export-items needs a FILE');
        const workbook = await exportItems(ctx);
        fileOperation(`无法写入 ${file}`, () => fs.writeFileSync(file, workbook));
        console.log(`exported to ${file}`);
        return 0;
      }
      default:
        throw usage(`unknown command "${command}"`);
    }
  } finally {
    await ctx.database.destroy();
  }
}

/**
 * The system actor, run by an operator: bulk loads are administrative acts, and the audit trail
 * names the OS account and the command line (only for commands that carry no secrets).
 */
function operatorCaller(name: string): Caller {
  let osUser = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  try {
    osUser = os.userInfo().username;
  } catch {
    // An account without a passwd entry (some containers): keep the environment's name.
  }
  return {
    ...systemCaller(name),
    operator: { osUser, command: `govflow ${process.argv.slice(2).join(' ')}` },
  };
}

function usage(message: string): Error {
  return Object.assign(new Error(message), { usage: true });
}

/** An expected failure: said in one line, without the help text or a stack. */
function failure(message: string): Error {
  return Object.assign(new Error(message), { failure: true });
}

/** Errors of the operating system or the network (a missing file, a refused connection). */
function isSystemError(err: unknown): boolean {
  const e = err instanceof AggregateError && err.errors.length ? err.errors[0] : err;
  const code = (e as { code?: unknown })?.code;
  return (
    typeof code === 'string' && /^(E[A-Z]+|SQLITE_CANTOPEN|SQLITE_READONLY|28P01|3D000|28000)$/.test(code)
  );
}

const SYSTEM_REASONS: Record<string, string> = {
  ENOENT: '文件或目录不存在',
  EACCES: '没有访问权限',
  EPERM: '操作不被允许',
  EISDIR: '这是一个目录',
  ENOTDIR: '路径中有一段不是目录',
  ENOSPC: '磁盘空间不足',
  EROFS: '文件系统只读',
  ECONNREFUSED: '连接被拒绝，没有服务在监听',
  ECONNRESET: '连接被对方断开',
  ETIMEDOUT: '连接超时',
  ENOTFOUND: '找不到这个主机名',
  EAI_AGAIN: '暂时无法解析主机名',
  EHOSTUNREACH: '主机不可达',
  ENETUNREACH: '网络不可达',
  SQLITE_CANTOPEN: '无法打开数据库文件',
  SQLITE_READONLY: '数据库文件只读',
  '28P01': '用户名或密码不对',
  '28000': '没有登录权限',
  '3D000': '数据库不存在',
};

/** Why a system call failed, in Chinese (the error code kept for searching the web). */
function systemReason(err: unknown): string {
  let e = err as { code?: string; cause?: unknown; errors?: unknown[] } | undefined;
  // fetch wraps the socket error in `cause`; pg may report every address it tried.
  for (let i = 0; i < 3 && e && !e.code; i++) e = (e.cause ?? e.errors?.[0]) as typeof e;
  if (e?.code && e.code in SYSTEM_REASONS) return `${SYSTEM_REASONS[e.code]}，${e.code}`;
  return e?.code ?? '原因不明';
}

function fileOperation<T>(what: string, operation: () => T): T {
  try {
    return operation();
  } catch (err) {
    if (!isSystemError(err)) throw err;
    throw failure(`${what}：${systemReason(err)}`);
  }
}

/** The database named without its password. */
function describeDatabase(config: Config): string {
  if (config.database.dialect === 'sqlite') return config.database.file;
  try {
    const url = new URL(config.database.url);
    return `${url.hostname}:${url.port || 5432}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

/** The chain heads recorded by audit-anchor, one JSON object a line. */
function readAnchors(file: string) {
  const text = fileOperation(`无法读取锚点文件 ${file}`, () => fs.readFileSync(file, 'utf8'));
  return text.split('\n').flatMap((line, i) => {
    if (!line.trim()) return [];
    try {
      return [JSON.parse(line)];
    } catch {
      throw failure(`锚点文件 ${file} 第 ${i + 1} 行不是 audit-anchor 写下的 JSON`);
    }
  });
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof AppError)
      console.error(`错误 ${err.code}：${err.message}${err.hint ? `（${err.hint}）` : ''}`);
    else if (err?.failure) console.error(err.message);
    else if (err?.usage) console.error(`${err.message}\n\n${HELP}`);
    else console.error(err);
    process.exit(1);
  },
);

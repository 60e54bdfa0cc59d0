import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ADMIN_CLASSES, type AdminClass } from '@govflow/shared';
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
import { loadConfigOrExit } from '../server';
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
  datahub-call --resource R --subject S --purpose P [--url http://127.0.0.1:3000]
                                  a signed data hub query as a registered application would send it
                                  (GOVFLOW_APP_KEY and GOVFLOW_APP_SECRET from the app registry page)
  help                            this text

The database is chosen as for the server: DATABASE_URL, else DATA_DIR/govflow.db.`;

/** Signs and sends one query like a registered application; prints the status and the answer. */
async function datahubCall(v: { resource?: string; subject?: string; purpose?: string; url?: string }) {
  const appKey = process.env.GOVFLOW_APP_KEY;
  const secret = process.env.GOVFLOW_APP_SECRET;
  if (!appKey || !secret || !v.resource || !v.subject || !v.purpose) {
    throw usage(
      'datahub-call needs --resource, --subject, --purpose, and GOVFLOW_APP_KEY / GOVFLOW_APP_SECRET',
    );
  }
  const path = '/api/v1/datahub/query';
  const body = JSON.stringify({ resource: v.resource, subject: v.subject, purpose: v.purpose });
  const res = await fetch(new URL(path, v.url ?? 'http://127.0.0.1:3000'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signedHeaders(appKey, secret, 'POST', path, body) },
    body,
  });
  console.log(`HTTP ${res.status}`);
  console.log(JSON.stringify(await res.json(), null, 2));
  return res.ok ? 0 : 4;
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(HELP);
    return 0;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
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
    },
    strict: true,
  });
  if (command === 'datahub-call') return datahubCall(values);
  const config = loadConfigOrExit({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const ctx = createContext(config);
  try {
    const migrated = await migrateToLatest(ctx.database);
    const applied = migrated.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
    await ensureBaseRoles(ctx);
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
        const bar = progressBar('verifying audit chain');
        const result = await ctx.audit.verify((done, total) => bar.update(done, total));
        bar.done();
        if (values.anchor) {
          const anchors = fs
            .readFileSync(values.anchor, 'utf8')
            .split('\n')
            .filter((l) => l.trim())
            .map((l) => JSON.parse(l));
          const problems = await ctx.audit.checkAnchors(anchors);
          for (const p of problems) console.error(`AUDIT ANCHOR MISMATCH: ${p.reason}`);
          if (problems.length) return 2;
          console.log(`${anchors.length} anchors found in the chain`);
        }
        if (result.ok) {
          console.log(`audit chain intact: ${result.checked} entries verified`);
          return 0;
        }
        const b = result.firstBroken;
        console.error(
          `AUDIT CHAIN BROKEN at entry seq=${b?.seq} id=${b?.id}: ${b?.reason} (${result.brokenCount} broken of ${result.checked} entries)`,
        );
        for (const e of result.broken.slice(1))
          console.error(`  also broken: seq=${e.seq} id=${e.id}: ${e.reason}`);
        return 2;
      }
      case 'import-items': {
        const file = positionals[0];
        if (!file) throw usage('import-items needs a FILE');
        if (!fs.existsSync(file)) throw usage(`no such file: ${file}`);
        const bar = progressBar('importing items');
        const report = await importItems(
          ctx,
          operatorCaller('govflow-cli import-items'),
          fs.readFileSync(file),
          {
            publish: Boolean(values.publish),
            listRejected: Number.POSITIVE_INFINITY,
            onProgress: (done, total) => bar.update(done, total),
          },
        );
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
        fs.writeFileSync(file, await exportItems(ctx));
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

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof AppError)
      console.error(`error ${err.code}: ${err.message}${err.hint ? ` — ${err.hint}` : ''}`);
    else if (err?.usage) console.error(`${err.message}\n\n${HELP}`);
    else console.error(err);
    process.exit(1);
  },
);

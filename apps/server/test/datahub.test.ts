import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { checkCreditCode, checkIdNumber, makeIdNumber } from '@govflow/shared';
import { companyName, syntheticPopulation } from '../src/modules/datahub/synthetic';
import { seedDatahub } from '../src/seed/datahub';
import { DEMO_CITIZEN_ID_NUMBER } from '../src/seed/demo-city';
import { childEnv, describeEachDialect, type TestApp } from './support/harness';

describe('synthetic population', () => {
  const pop = syntheticPopulation(5000, 7);

  it('has valid, unique ID numbers and credit codes, and is the same for the same seed', () => {
    const ids = pop.persons.map((p) => p.id_number);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.every((id) => checkIdNumber(id).ok));
    assert.ok(
      pop.persons.every(
        (p) =>
          checkIdNumber(p.id_number).ok &&
          (checkIdNumber(p.id_number) as { info: { birthDate: string } }).info.birthDate === p.birth_date,
      ),
    );
    assert.ok(pop.entities.every((e) => checkCreditCode(e.credit_code).ok));
    assert.deepEqual(
      syntheticPopulation(200, 7).persons.slice(0, 5),
      syntheticPopulation(200, 7).persons.slice(0, 5),
    );
  });

  it('names companies as a register would, each name once', () => {
    assert.ok(
      pop.entities.every((e) => /^沈阳\p{Script=Han}{2,}有限公司$/u.test(e.name)),
      pop.entities[0].name,
    );
    const names = Array.from({ length: 250_000 }, (_, n) => companyName(n));
    assert.equal(new Set(names).size, names.length, 'no two companies share a name');
    assert.ok(names.every((name) => !/\d/.test(name)));
    assert.equal(companyName(0).length, '沈阳鑫泰科技有限公司'.length);
    assert.notEqual(
      companyName(0).slice(0, 4),
      companyName(1).slice(0, 4),
      'neighbours have other trade names',
    );
  });

  it('is a plausible city: households, some deceased, some on minimum income, living representatives', () => {
    const deceased = pop.persons.filter((p) => p.death_date).length / pop.persons.length;
    const minimum = pop.persons.filter((p) => p.minimum_income_since).length / pop.persons.length;
    assert.ok(deceased > 0.002 && deceased < 0.05, `deceased ${deceased}`);
    assert.ok(minimum > 0.005 && minimum < 0.05, `minimum income ${minimum}`);
    const households = new Set(pop.households.map((h) => h.household_no));
    assert.ok(pop.persons.every((p) => p.household_no && households.has(p.household_no)));
    const alive = new Set(pop.persons.filter((p) => !p.death_date).map((p) => p.id_number));
    assert.ok(pop.entities.every((e) => alive.has(e.legal_rep_id_number)));
    assert.ok(pop.themes.some((t) => t.list_code === 'pharmacist-exam-passed'));
  });
});

describeEachDialect('data hub comparisons', (get) => {
  let t: TestApp;
  before(async () => {
    t = get();
    await seedDatahub(t.ctx, 3000, 3);
  });
  const cmp = () => t.ctx.datahub.comparisons;

  it('compares names and life status, and says unknown when there is no record', async () => {
    assert.equal(await cmp().nameMatches(DEMO_CITIZEN_ID_NUMBER, '李明'), 'yes');
    assert.equal(await cmp().nameMatches(DEMO_CITIZEN_ID_NUMBER, '李鸣'), 'no');
    assert.equal(await cmp().isAlive(DEMO_CITIZEN_ID_NUMBER), 'yes');
    const dead = await t.ctx.db
      .selectFrom('dh_persons')
      .select('id_number')
      .where('death_date', 'is not', null)
      .executeTakeFirstOrThrow();
    assert.equal(await cmp().isAlive(dead.id_number), 'no');
    const stranger = makeIdNumber('110105', '1970-01-01', 999);
    assert.equal(await cmp().isAlive(stranger), 'unknown');
    await assert.rejects(
      cmp().isAlive('210102199005121239'),
      (e: { code?: string }) => e.code === 'INVALID_ID_NUMBER',
    );
  });

  it('checks residence by region at any level, lists, licences and minimum income', async () => {
    assert.equal(await cmp().residentIn(DEMO_CITIZEN_ID_NUMBER, '210100'), 'yes');
    assert.equal(await cmp().residentIn(DEMO_CITIZEN_ID_NUMBER, '210102'), 'yes');
    assert.equal(await cmp().residentIn(DEMO_CITIZEN_ID_NUMBER, '210103'), 'no');
    assert.equal(await cmp().residentIn(DEMO_CITIZEN_ID_NUMBER, '210200'), 'no');
    assert.equal(await cmp().onList(DEMO_CITIZEN_ID_NUMBER, 'pharmacist-exam-passed', '2026-11-01'), 'yes');
    assert.equal(
      await cmp().onList(DEMO_CITIZEN_ID_NUMBER, 'pharmacist-exam-passed', '2019-01-01'),
      'no',
      'not yet passed then',
    );
    const licence = await t.ctx.db
      .selectFrom('dh_licences')
      .selectAll()
      .where('valid_to', '=', '2025-03-01')
      .executeTakeFirstOrThrow();
    assert.equal(await cmp().holdsLicence(licence.holder, licence.licence_type, '2025-01-01'), 'yes');
    assert.equal(
      await cmp().holdsLicence(licence.holder, licence.licence_type, '2026-01-01'),
      'no',
      'expired',
    );
    const poor = await t.ctx.db
      .selectFrom('dh_persons')
      .select('id_number')
      .where('minimum_income_since', 'is not', null)
      .executeTakeFirstOrThrow();
    assert.equal(await cmp().onMinimumIncome(poor.id_number), 'yes');
    assert.equal(await cmp().onMinimumIncome(DEMO_CITIZEN_ID_NUMBER), 'no');
  });

  it('checks companies: active, and who represents them', async () => {
    const active = await t.ctx.db
      .selectFrom('dh_legal_entities')
      .selectAll()
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    assert.equal(await cmp().companyActive(active.credit_code), 'yes');
    assert.equal(await cmp().isLegalRepresentative(active.credit_code, active.legal_rep_id_number), 'yes');
    assert.equal(await cmp().isLegalRepresentative(active.credit_code, DEMO_CITIZEN_ID_NUMBER), 'no');
    await assert.rejects(
      cmp().companyActive('91210102MA0DEM01XX'),
      (e: { code?: string }) => e.code === 'INVALID_CREDIT_CODE',
    );
  });

  it('seeds an empty library only, from the CLI with progress', async () => {
    assert.deepEqual(await seedDatahub(t.ctx, 10), { created: 0 });
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'apps/server/src/cli/main.ts', 'seed-datahub', '--persons', '50'],
      {
        cwd: path.resolve(import.meta.dirname, '../../..'),
        encoding: 'utf8',
        env: childEnv(t.database.url),
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /already holds people/);
  });
});

import type { Kysely } from 'kysely';
import { columnTypes } from '../platform/db/column-types';
import type { MigrationDefinition } from '../platform/db/migrate';

/**
 * The data hub's base libraries (REQUIREMENTS §5): population keyed on the ID number, legal
 * entities keyed on the credit code, e-licence metadata, and theme lists (exam records, teachers …).
 * These are copies of authoritative sources; GovFlow compares against them, it does not own them.
 */
export const datahub: MigrationDefinition = {
  name: '0004-datahub',
  build: (dialect) => {
    const t = columnTypes(dialect);
    return {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('dh_households')
          .addColumn('household_no', 'text', (c) => c.primaryKey())
          .addColumn('region_code', 'text', (c) => c.notNull())
          .addColumn('address', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('dh_households_region')
          .on('dh_households')
          .column('region_code')
          .execute();

        await db.schema
          .createTable('dh_persons')
          .addColumn('id_number', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('gender', 'text', (c) => c.notNull())
          .addColumn('birth_date', 'text', (c) => c.notNull())
          .addColumn('household_no', 'text', (c) => c.references('dh_households.household_no'))
          .addColumn('death_date', 'text')
          .addColumn('marital_status', 'text', (c) => c.notNull())
          .addColumn('minimum_income_since', 'text')
          .addColumn('disability_level', 'integer')
          .addColumn('social_security', t.flag, (c) => c.notNull())
          .addColumn('updated_at', t.timestamp, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('dh_persons_household').on('dh_persons').column('household_no').execute();

        await db.schema
          .createTable('dh_legal_entities')
          .addColumn('credit_code', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('legal_rep_id_number', 'text', (c) => c.notNull())
          .addColumn('region_code', 'text', (c) => c.notNull())
          .addColumn('established_on', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('dh_licences')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('holder', 'text', (c) => c.notNull())
          .addColumn('licence_type', 'text', (c) => c.notNull())
          .addColumn('number', 'text', (c) => c.notNull())
          .addColumn('issuer', 'text', (c) => c.notNull())
          .addColumn('valid_from', 'text', (c) => c.notNull())
          .addColumn('valid_to', 'text')
          .execute();
        await db.schema
          .createIndex('dh_licences_holder')
          .on('dh_licences')
          .columns(['holder', 'licence_type'])
          .execute();

        await db.schema
          .createTable('dh_theme_entries')
          .addColumn('list_code', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('since', 'text', (c) => c.notNull())
          .addColumn('detail', t.json, (c) => c.notNull())
          .addPrimaryKeyConstraint('dh_theme_entries_pk', ['list_code', 'subject'])
          .execute();

        // 一证通办: a log of each query, never the proofs themselves (数据不落地).
        await db.schema
          .createTable('dh_proof_queries')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('at', t.timestamp, (c) => c.notNull())
          .addColumn('actor_id', 'text')
          .addColumn('actor_name', 'text')
          .addColumn('request_id', 'text')
          .addColumn('id_number_masked', 'text', (c) => c.notNull())
          .addColumn('proof_types', t.json, (c) => c.notNull())
          .addColumn('providers', t.json, (c) => c.notNull())
          .addColumn('result_hash', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('dh_proof_queries_at').on('dh_proof_queries').column('at').execute();
      },
      async down() {
        throw new Error('GovFlow migrations are forward-only');
      },
    };
  },
};

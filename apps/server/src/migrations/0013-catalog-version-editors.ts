import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../platform/db/column-types';
import type { MigrationDefinition } from '../platform/db/migrate';

/** What the audit trail calls each act that bars a person from approving the version. */
const AUDITED_ACTS: [action: string, act: string][] = [
  ['catalog.version-edit-legal', 'edit-legal'],
  ['catalog.version-edit-service', 'edit-service'],
  ['catalog.version-edit-control', 'edit-control'],
  ['catalog.version-submit', 'submit'],
];

/**
 * Everyone who created, edited or submitted a catalogue version, once per act: four eyes — none of
 * them may approve it. Versions written before this table are filled in from their creator and
 * from the audit trail, which has recorded every edit and submission by person since the start.
 */
export const catalogVersionEditors: MigrationDefinition = {
  name: '0013-catalog-version-editors',
  build: (dialect) => {
    const t = columnTypes(dialect);
    return {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('catalog_version_editors')
          .addColumn('version_id', 'text', (c) => c.notNull().references('catalog_versions.id'))
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('act', 'text', (c) =>
            c.notNull().check(sql`act in ('create', 'edit-legal', 'edit-service', 'edit-control', 'submit')`),
          )
          .addColumn('first_at', t.timestamp, (c) => c.notNull())
          .addPrimaryKeyConstraint('catalog_version_editors_pk', ['version_id', 'user_id', 'act'])
          .execute();

        await db
          .insertInto('catalog_version_editors')
          .columns(['version_id', 'user_id', 'act', 'first_at'])
          .expression(
            db
              .selectFrom('catalog_versions')
              .select(['id', 'created_by', sql.lit('create').as('act'), 'created_at'])
              .where('created_by', 'is not', null),
          )
          .execute();
        for (const [action, act] of AUDITED_ACTS) {
          await db
            .insertInto('catalog_version_editors')
            .columns(['version_id', 'user_id', 'act', 'first_at'])
            .expression(
              db
                .selectFrom('audit_entries as a')
                .innerJoin('catalog_versions as v', 'v.id', 'a.target_id')
                .select([
                  'a.target_id',
                  'a.actor_id',
                  sql.lit(act).as('act'),
                  (eb) => eb.fn.min('a.at').as('at'),
                ])
                .where('a.action', '=', action)
                .where('a.target_type', '=', 'catalog-version')
                .where('a.outcome', '=', 'success')
                .where('a.actor_id', 'is not', null)
                .groupBy(['a.target_id', 'a.actor_id']),
            )
            .execute();
        }
      },
      async down() {
        throw new Error('GovFlow migrations are forward-only');
      },
    };
  },
};

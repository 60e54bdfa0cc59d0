import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../platform/db/column-types';
import type { MigrationDefinition } from '../platform/db/migrate';

export const catalog: MigrationDefinition = {
  name: '0003-catalog',
  build: (dialect) => {
    const t = columnTypes(dialect);
    return {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('catalog_items')
          .addColumn('id', 'text', (c) => c.primaryKey())
          // The implementation code names where and by whom; with the basic code it names the item.
          .addColumn('impl_code', 'text', (c) => c.notNull())
          .addColumn('basic_code', 'text', (c) => c.notNull())
          .addColumn('item_type', 'text', (c) => c.notNull())
          .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
          .addColumn('org_path', 'text', (c) => c.notNull())
          .addColumn('region_code', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('current_version_id', 'text')
          .addColumn('popularity', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addColumn('updated_at', t.timestamp, (c) => c.notNull())
          .addCheckConstraint(
            'catalog_items_status',
            sql`status in ('draft', 'published', 'suspended', 'cancelled')`,
          )
          .execute();
        await db.schema
          .createIndex('catalog_items_org_path')
          .on('catalog_items')
          .column('org_path')
          .execute();
        await db.schema
          .createIndex('catalog_items_basic_code')
          .on('catalog_items')
          .column('basic_code')
          .execute();

        await db.schema
          .createTable('catalog_versions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('item_id', 'text', (c) => c.notNull().references('catalog_items.id'))
          .addColumn('version_no', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          // legal field group
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('item_type', 'text', (c) => c.notNull())
          .addColumn('management_area', 'text')
          .addColumn('legal_basis', 'text', (c) => c.notNull())
          .addColumn('exercise_level', 'text', (c) => c.notNull())
          .addColumn('implementing_body', 'text', (c) => c.notNull())
          .addColumn('body_nature', 'text', (c) => c.notNull())
          .addColumn('audience', t.json, (c) => c.notNull())
          .addColumn('statutory_days', 'integer', (c) => c.notNull())
          .addColumn('statutory_unit', 'text', (c) => c.notNull())
          .addColumn('quantity_limit', 'text', (c) => c.notNull())
          .addColumn('result_name', 'text', (c) => c.notNull())
          .addColumn('has_fee', t.flag, (c) => c.notNull())
          .addColumn('fee_basis', 'text', (c) => c.notNull())
          // service field group
          .addColumn('promised_days', 'integer', (c) => c.notNull())
          .addColumn('promised_unit', 'text', (c) => c.notNull())
          .addColumn('case_type', 'text', (c) => c.notNull())
          .addColumn('channels', t.json, (c) => c.notNull())
          .addColumn('visits_required', 'integer', (c) => c.notNull())
          .addColumn('tongban_scope', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('joint_agencies', 'text', (c) => c.notNull())
          .addColumn('intermediary_services', 'text', (c) => c.notNull())
          .addColumn('process_description', 'text', (c) => c.notNull())
          .addColumn('result_sample', 'text', (c) => c.notNull())
          .addColumn('location', 'text', (c) => c.notNull())
          .addColumn('office_hours', 'text', (c) => c.notNull())
          .addColumn('enquiry_phone', 'text', (c) => c.notNull())
          .addColumn('supervision_phone', 'text', (c) => c.notNull())
          .addColumn('faq', t.json, (c) => c.notNull())
          .addColumn('life_events', t.json, (c) => c.notNull())
          .addColumn('target_groups', t.json, (c) => c.notNull())
          .addColumn('themes', t.json, (c) => c.notNull())
          .addColumn('business_activities', t.json, (c) => c.notNull())
          .addColumn('enterprise_types', t.json, (c) => c.notNull())
          .addColumn('keywords', t.json, (c) => c.notNull())
          // workflow
          .addColumn('review_note', 'text', (c) => c.notNull().defaultTo(''))
          .addColumn('created_by', 'text')
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addColumn('updated_at', t.timestamp, (c) => c.notNull())
          .addColumn('submitted_at', t.timestamp)
          .addColumn('published_at', t.timestamp)
          .addColumn('published_by', 'text')
          .addUniqueConstraint('catalog_versions_item_no', ['item_id', 'version_no'])
          .addCheckConstraint(
            'catalog_versions_status',
            sql`status in ('draft', 'in-review', 'published', 'superseded')`,
          )
          .execute();

        const child = (name: string) =>
          db.schema
            .createTable(name)
            .addColumn('id', 'text', (c) => c.primaryKey())
            .addColumn('version_id', 'text', (c) => c.notNull().references('catalog_versions.id'))
            .addColumn('sort', 'integer', (c) => c.notNull());

        await child('catalog_scenarios')
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addUniqueConstraint('catalog_scenarios_key', ['version_id', 'key'])
          .execute();
        await child('catalog_materials')
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('form', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('copies', 'integer', (c) => c.notNull())
          .addColumn('medium', 'text', (c) => c.notNull())
          .addColumn('required', t.flag, (c) => c.notNull())
          .addColumn('scenario_key', 'text')
          .addColumn('acceptance_standard', 'text', (c) => c.notNull())
          .addColumn('sample_url', 'text', (c) => c.notNull())
          .addColumn('eform', t.flag, (c) => c.notNull())
          .addColumn('ecopy_required', t.flag, (c) => c.notNull())
          .addColumn('deferrable', t.flag, (c) => c.notNull())
          .addColumn('waivable', t.flag, (c) => c.notNull())
          .addColumn('seal_requirement', 'text', (c) => c.notNull())
          .addColumn('validity_days', 'integer')
          .addColumn('verifying_department', 'text', (c) => c.notNull())
          .addColumn('reuse_class', 'text', (c) => c.notNull())
          .addUniqueConstraint('catalog_materials_key', ['version_id', 'key'])
          .execute();
        await child('catalog_conditions')
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('required', t.flag, (c) => c.notNull())
          .addColumn('scenario_key', 'text')
          .addColumn('rule', 'text', (c) => c.notNull())
          .addUniqueConstraint('catalog_conditions_key', ['version_id', 'key'])
          .execute();
        await child('catalog_fees')
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('basis', 'text', (c) => c.notNull())
          .addColumn('unit', 'text')
          .addColumn('input', 'text')
          .addColumn('amount_fen', 'integer')
          .addColumn('rows', t.json)
          .execute();
        for (const table of [
          'catalog_scenarios',
          'catalog_materials',
          'catalog_conditions',
          'catalog_fees',
        ]) {
          await db.schema.createIndex(`${table}_version`).on(table).column('version_id').execute();
        }

        await db.schema
          .createTable('catalog_control_settings')
          .addColumn('version_id', 'text', (c) => c.notNull().references('catalog_versions.id'))
          .addColumn('setting', 'text', (c) => c.notNull())
          .addColumn('data', t.json, (c) => c.notNull())
          .addPrimaryKeyConstraint('catalog_control_settings_pk', ['version_id', 'setting'])
          .execute();

        await db.schema
          .createTable('catalog_lineage')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('item_id', 'text', (c) => c.notNull().references('catalog_items.id'))
          .addColumn('related_item_id', 'text', (c) => c.notNull().references('catalog_items.id'))
          .addColumn('relation', 'text', (c) => c.notNull())
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addCheckConstraint('catalog_lineage_relation', sql`relation in ('split-from', 'merged-from')`)
          .execute();
      },
      async down() {
        throw new Error('GovFlow migrations are forward-only');
      },
    };
  },
};

import { type Kysely, sql } from 'kysely';
import { makeAppendOnly } from '../platform/db/append-only';
import { columnTypes } from '../platform/db/column-types';
import type { MigrationDefinition } from '../platform/db/migrate';

export const identityAndAudit: MigrationDefinition = {
  name: '0001-identity-and-audit',
  build: (dialect) => {
    const t = columnTypes(dialect);
    return {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('orgs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('parent_id', 'text', (c) => c.references('orgs.id'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('code', 'text')
          .addColumn('region_level', 'text')
          .addColumn('path', 'text', (c) => c.notNull().unique())
          .addColumn('depth', 'integer', (c) => c.notNull())
          .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addColumn('updated_at', t.timestamp, (c) => c.notNull())
          .addCheckConstraint('orgs_kind', sql`kind in ('region', 'department', 'unit', 'window')`)
          .execute();
        await db.schema.createIndex('orgs_code').on('orgs').column('code').unique().execute();
        await db.schema.createIndex('orgs_parent').on('orgs').column('parent_id').execute();

        await db.schema
          .createTable('roles')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('code', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
          .addColumn('parent_id', 'text', (c) => c.references('roles.id'))
          .addColumn('admin_class', 'text')
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('permissions', t.json, (c) => c.notNull())
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addColumn('updated_at', t.timestamp, (c) => c.notNull())
          .addCheckConstraint('roles_scope', sql`scope in ('unit', 'region')`)
          .addCheckConstraint(
            'roles_admin_class',
            sql`admin_class is null or admin_class in ('system', 'security', 'audit')`,
          )
          .execute();

        await db.schema
          .createTable('persons')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('id_number', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('gender', 'text', (c) => c.notNull())
          .addColumn('birth_date', 'text', (c) => c.notNull())
          .addColumn('region_code', 'text', (c) => c.notNull())
          .addColumn('phone', 'text')
          .addColumn('trust_level', 'integer', (c) => c.notNull())
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addColumn('updated_at', t.timestamp, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('legal_persons')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('credit_code', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('entity_type', 'text', (c) => c.notNull())
          .addColumn('region_code', 'text', (c) => c.notNull())
          .addColumn('legal_rep_person_id', 'text', (c) => c.notNull().references('persons.id'))
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addColumn('updated_at', t.timestamp, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('username', 'text', (c) => c.notNull().unique())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('staff_no', 'text')
          .addColumn('phone', 'text')
          .addColumn('person_id', 'text', (c) => c.references('persons.id'))
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('password_changed_at', t.timestamp, (c) => c.notNull())
          .addColumn('admin_class', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('locked_until', t.timestamp)
          .addColumn('totp_secret', 'text')
          .addColumn('totp_pending_secret', 'text')
          .addColumn('totp_last_step', 'integer')
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addColumn('updated_at', t.timestamp, (c) => c.notNull())
          .addCheckConstraint('users_kind', sql`kind in ('citizen', 'staff')`)
          .addCheckConstraint('users_status', sql`status in ('active', 'disabled')`)
          .addCheckConstraint(
            'users_admin_class',
            sql`admin_class is null or admin_class in ('system', 'security', 'audit')`,
          )
          .execute();
        await db.schema.createIndex('users_person').on('users').column('person_id').execute();

        await db.schema
          .createTable('posts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
          .addColumn('role_id', 'text', (c) => c.notNull().references('roles.id'))
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addUniqueConstraint('posts_unique', ['user_id', 'org_id', 'role_id'])
          .execute();
        await db.schema.createIndex('posts_org').on('posts').column('org_id').execute();

        await db.schema
          .createTable('sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
          .addColumn('expires_at', t.timestamp, (c) => c.notNull())
          .addColumn('revoked_at', t.timestamp)
          .addColumn('revoked_reason', 'text')
          .addColumn('ip', 'text')
          .addColumn('user_agent', 'text')
          .execute();
        await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

        await db.schema
          .createTable('audit_entries')
          .addColumn('seq', 'integer', (c) => c.primaryKey())
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('at', t.timestamp, (c) => c.notNull())
          .addColumn('actor_id', 'text')
          .addColumn('actor_name', 'text')
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target_type', 'text')
          .addColumn('target_id', 'text')
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('request_id', 'text')
          .addColumn('ip', 'text')
          .addColumn('detail', t.json, (c) => c.notNull())
          .addColumn('prev_hash', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .addCheckConstraint('audit_outcome', sql`outcome in ('success', 'failure', 'denied')`)
          .execute();
        await db.schema.createIndex('audit_at').on('audit_entries').column('at').execute();
        await db.schema.createIndex('audit_actor').on('audit_entries').columns(['actor_id', 'seq']).execute();
        await db.schema.createIndex('audit_action').on('audit_entries').columns(['action', 'seq']).execute();

        // The trail is append-only for everyone, including the application's own database role.
        await makeAppendOnly(db, dialect, 'audit_entries', 'audit trail is append-only');
      },
      async down() {
        throw new Error('GovFlow migrations are forward-only');
      },
    };
  },
};

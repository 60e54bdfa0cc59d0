import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../platform/db/column-types';
import type { MigrationDefinition } from '../platform/db/migrate';

/**
 * 三员分立: the system administrator creates posts without roles and the security administrator
 * attaches them, so a post's role may be absent; an account an administrator created must change
 * the password it was given before it does anything else.
 */
export const accountStatus: MigrationDefinition = {
  name: '0010-account-status',
  build: (dialect) => {
    const t = columnTypes(dialect);
    return {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
      async up(db: Kysely<any>) {
        await db.schema
          .alterTable('users')
          .addColumn('must_change_password', t.flag, (c) => c.notNull().defaultTo(0))
          .execute();
        if (dialect === 'postgres') {
          await db.schema
            .alterTable('posts')
            .alterColumn('role_id', (c) => c.dropNotNull())
            .execute();
          return;
        }
        // SQLite cannot drop a NOT NULL: the table is rebuilt, in one transaction (no table
        // references posts, so the rebuild breaks no foreign key).
        await db.transaction().execute(async (trx) => {
          await trx.schema
            .createTable('posts_new')
            .addColumn('id', 'text', (c) => c.primaryKey())
            .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
            .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
            .addColumn('role_id', 'text', (c) => c.references('roles.id'))
            .addColumn('title', 'text', (c) => c.notNull())
            .addColumn('created_at', t.timestamp, (c) => c.notNull())
            .addUniqueConstraint('posts_unique', ['user_id', 'org_id', 'role_id'])
            .execute();
          await sql`insert into posts_new (id, user_id, org_id, role_id, title, created_at)
            select id, user_id, org_id, role_id, title, created_at from posts`.execute(trx);
          await trx.schema.dropTable('posts').execute();
          await trx.schema.alterTable('posts_new').renameTo('posts').execute();
          await trx.schema.createIndex('posts_org').on('posts').column('org_id').execute();
        });
      },
      async down() {
        throw new Error('GovFlow migrations are forward-only');
      },
    };
  },
};

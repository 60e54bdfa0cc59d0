import type { ServiceDeps } from '../../platform/service-deps';
import { AuthService } from './auth-service';
import { OrgService } from './org-service';
import { PersonService } from './person-service';
import { UserService } from './user-service';

export interface IdentityModule {
  auth: AuthService;
  orgs: OrgService;
  users: UserService;
  persons: PersonService;
}

export function createIdentityModule(deps: ServiceDeps): IdentityModule {
  const orgs = new OrgService(deps);
  return {
    auth: new AuthService(deps),
    orgs,
    users: new UserService(deps, orgs),
    persons: new PersonService(deps, orgs),
  };
}

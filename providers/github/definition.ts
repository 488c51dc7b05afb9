import type { ProviderDefinition } from '../provider';
import { APP_JWT, GITHUB_ACTIONS, OAUTH_APP_SECRET } from './actions';
import { GITHUB_IDENTITY_KINDS, githubInventoryMatch } from './identity';

/**
 * GitHub: third-party integrations and automation credentials of an organization — app installations, deploy
 * keys, fine-grained tokens, OAuth apps' grants. The worker acts as idra's own GitHub App, installed on the organization with
 * only the permissions below; it suspends an installation with that app's own key (GitHub allows no other).
 */
export const githubProvider: ProviderDefinition = {
  id: 'github',
  name: 'GitHub',
  kinds: GITHUB_IDENTITY_KINDS,
  actions: GITHUB_ACTIONS,
  inventoryMatch: githubInventoryMatch,
  // Reading repositories (their custom properties are an identity's tags) and the deploy keys a response acts on.
  basePermissions: ['metadata=read', 'administration=read', 'organization_personal_access_tokens=read'],
  workerPolicy: (permissions) => {
    const levels: Record<string, string> = {};
    for (const permission of permissions.filter((name) => name !== APP_JWT && name !== OAUTH_APP_SECRET)) {
      const [name = '', level = 'read'] = permission.split('=');
      if (levels[name] !== 'write') levels[name] = level;
    }
    return {
      description:
        "Permissions of idra's GitHub App (its manifest's default_permissions), installed on each organization",
      default_permissions: levels,
      ...(permissions.includes(APP_JWT)
        ? {
            app_keys:
              'the private key of each app whose installations idra may suspend (IDRA_GITHUB_MANAGED_APPS_FILE)',
          }
        : {}),
      ...(permissions.includes(OAUTH_APP_SECRET)
        ? {
            oauth_app_secrets:
              "the client secret of each OAuth app of yours whose users' grants idra may revoke (IDRA_GITHUB_OAUTH_APPS_FILE)",
          }
        : {}),
    };
  },
  taskQueue: 'idra-github',
};

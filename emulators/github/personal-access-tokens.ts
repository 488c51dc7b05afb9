import { notFound, validationFailed } from './errors';
import { accountBody, noContent, type Route } from './http';
import { paginated } from './pagination';
import { installedOrganization } from './repositories';
import type { PatGrant } from './state';

function grantBody(org: number, grant: PatGrant, baseUrl: string) {
  return {
    id: grant.id,
    owner: accountBody(grant.owner, baseUrl),
    repository_selection: grant.repositorySelection,
    repositories_url: `${baseUrl}/organizations/${org}/personal-access-tokens/${grant.id}/repositories`,
    permissions: grant.permissions,
    access_granted_at: grant.accessGrantedAt,
    token_id: grant.tokenId,
    token_name: grant.tokenName,
    token_expired: grant.tokenExpiresAt !== null && Date.parse(grant.tokenExpiresAt) <= Date.now(),
    token_expires_at: grant.tokenExpiresAt,
    token_last_used_at: grant.tokenLastUsedAt,
  };
}

/** Fine-grained personal access tokens' access to an organization: only a GitHub App may list or revoke them. */
export const PERSONAL_ACCESS_TOKEN_ROUTES: Route[] = [
  {
    method: 'GET',
    path: /^\/orgs\/([^/]+)\/personal-access-tokens$/,
    auth: 'installation',
    permission: 'organization_personal_access_tokens=read',
    handle: (request, [login]) => {
      const organization = installedOrganization(request, login);
      // Filters GitHub takes: `owner` (logins) and `token_id` (ids), each repeatable or comma-separated.
      const filter = (name: string) => request.query.getAll(name).flatMap((value) => value.split(','));
      const owners = filter('owner');
      const tokenIds = filter('token_id');
      const grants = organization.patGrants.filter(
        (grant) =>
          (!owners.length || owners.includes(grant.owner.login)) &&
          (!tokenIds.length || tokenIds.includes(String(grant.tokenId))),
      );
      return paginated(
        request,
        grants.map((grant) => grantBody(organization.account.id, grant, request.baseUrl)),
      );
    },
  },
  {
    method: 'POST',
    path: /^\/orgs\/([^/]+)\/personal-access-tokens\/(\d+)$/,
    auth: 'installation',
    permission: 'organization_personal_access_tokens=write',
    handle: (request, [login, id]) => {
      const organization = installedOrganization(request, login);
      if (request.body.action !== 'revoke')
        throw validationFailed([{ resource: 'PersonalAccessToken', field: 'action', code: 'invalid' }]);
      const grant = organization.patGrants.find((candidate) => candidate.id === Number(id));
      if (!grant) throw notFound();
      // Revoked: the token loses its access to the organization, for good (its owner must ask again).
      organization.patGrants = organization.patGrants.filter((candidate) => candidate !== grant);
      return noContent();
    },
  },
];

import { notFound, validationFailed } from './errors';
import { accountBody, ok, type Request, type Route } from './http';
import { reachableRepository } from './repositories';
import type { Repository, SecretScanningAlert } from './state';

/** The resolutions GitHub accepts when an alert is closed. */
const RESOLUTIONS = ['false_positive', 'wont_fix', 'revoked', 'used_in_tests'];
const MAX_COMMENT = 280;

function alertBody(repository: Repository, alert: SecretScanningAlert, baseUrl: string, hideSecret: boolean) {
  const url = `${baseUrl}/repos/${repository.owner.login}/${repository.name}/secret-scanning/alerts/${alert.number}`;
  return {
    number: alert.number,
    created_at: alert.createdAt,
    updated_at: alert.updatedAt,
    url,
    html_url: `https://github.com/${repository.owner.login}/${repository.name}/security/secret-scanning/${alert.number}`,
    locations_url: `${url}/locations`,
    state: alert.state,
    resolution: alert.resolution,
    resolved_at: alert.resolvedAt,
    resolved_by: alert.resolvedBy ? accountBody(alert.resolvedBy, baseUrl) : null,
    resolution_comment: alert.resolutionComment,
    secret_type: alert.secretType,
    secret_type_display_name: alert.secretTypeDisplayName,
    ...(hideSecret ? {} : { secret: alert.secret }),
    validity: alert.validity,
    publicly_leaked: alert.publiclyLeaked,
    multi_repo: false,
    push_protection_bypassed: false,
    push_protection_bypassed_by: null,
    push_protection_bypassed_at: null,
    push_protection_bypass_request_reviewer: null,
    push_protection_bypass_request_reviewer_comment: null,
    push_protection_bypass_request_comment: null,
    push_protection_bypass_request_html_url: null,
    metadata: [],
  };
}

function findAlert(repository: Repository, number: string | undefined): SecretScanningAlert {
  const alert = repository.alerts.find((candidate) => candidate.number === Number(number));
  if (!alert) throw notFound();
  return alert;
}

/** Closing needs a resolution; reopening clears it. Other fields and values are refused as GitHub does. */
function update(request: Request, repository: Repository, alert: SecretScanningAlert) {
  const { state, resolution, resolution_comment: comment } = request.body;
  const invalid = (field: string) => validationFailed([{ resource: 'SecretScanningAlert', field, code: 'invalid' }]);
  if (state !== 'open' && state !== 'resolved') throw invalid('state');
  if (state === 'resolved' && (typeof resolution !== 'string' || !RESOLUTIONS.includes(resolution)))
    throw invalid('resolution');
  if (comment !== undefined && comment !== null && (typeof comment !== 'string' || comment.length > MAX_COMMENT))
    throw invalid('resolution_comment');
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const resolver = request.caller.kind === 'installation' ? request.caller.installation : undefined;
  Object.assign(alert, {
    state,
    resolution: state === 'resolved' ? (resolution as string) : null,
    resolutionComment: state === 'resolved' ? (comment ?? null) : null,
    resolvedAt: state === 'resolved' ? now : null,
    resolvedBy:
      state === 'resolved' && resolver
        ? { login: `${request.state.apps.get(resolver.appId)?.slug ?? 'app'}[bot]`, id: resolver.appId, type: 'User' }
        : null,
    updatedAt: now,
  } satisfies Partial<SecretScanningAlert>);
  return ok(alertBody(repository, alert, request.baseUrl, false));
}

export const SECRET_SCANNING_ROUTES: Route[] = [
  {
    method: 'GET',
    path: /^\/repos\/([^/]+)\/([^/]+)\/secret-scanning\/alerts\/(\d+)$/,
    auth: 'installation',
    permission: 'secret_scanning_alerts=read',
    handle: (request, [owner, name, number]) => {
      const repository = reachableRepository(request, owner, name);
      const hide = request.query.get('hide_secret') === 'true';
      return ok(alertBody(repository, findAlert(repository, number), request.baseUrl, hide));
    },
  },
  {
    method: 'PATCH',
    path: /^\/repos\/([^/]+)\/([^/]+)\/secret-scanning\/alerts\/(\d+)$/,
    auth: 'installation',
    permission: 'secret_scanning_alerts=write',
    handle: (request, [owner, name, number]) => {
      const repository = reachableRepository(request, owner, name);
      return update(request, repository, findAlert(repository, number));
    },
  },
];

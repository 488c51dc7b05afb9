import { PoliciesClient } from '@google-cloud/iam';
import { ProjectsClient } from '@google-cloud/resource-manager';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { iam, type iam_v1 } from '@googleapis/iam';
import { ApplicationFailure } from '@temporalio/common';
import { classifyFault, type ProviderDialect } from '../../../activities/step-failure';
import { GoogleAuth, OAuth2Client } from 'google-auth-library';
import { z } from 'zod';
import { parseOrThrow } from '../../../model/validation';

/** The GCP clients one worker acts with: the official ones, configured only by settings. */
export interface GcpContext {
  /** IAM admin v1: service accounts and keys. */
  iam: iam_v1.Iam;
  /** IAM v2: deny policies (long-running operations). */
  denyPolicies: PoliciesClient;
  /** Resource Manager v3: project IAM policies. */
  projects: ProjectsClient;
  /** Secret Manager: where rotated keys go, so no key material ever reaches workflow history. */
  secrets: SecretManagerServiceClient;
}

const gcpEnvSchema = z.object({
  /** Another server for every GCP API (REST), e.g. a private endpoint or a local one; default: Google's. */
  IDRA_GCP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  /** A static OAuth access token (e.g. from `gcloud auth print-access-token`); default: Application Default Credentials. */
  GOOGLE_OAUTH_ACCESS_TOKEN: z.string().min(1).optional(),
});

export function createGcpContext(env: NodeJS.ProcessEnv = process.env): GcpContext {
  const config = parseOrThrow(gcpEnvSchema, env, 'GCP worker configuration');
  const token = config.GOOGLE_OAUTH_ACCESS_TOKEN;
  const staticAuth = token ? new OAuth2Client() : undefined;
  staticAuth?.setCredentials({ access_token: token });
  const endpoint = config.IDRA_GCP_ENDPOINT ? new URL(config.IDRA_GCP_ENDPOINT) : undefined;
  // gax clients speak gRPC to Google by default; another endpoint is reached over REST (`fallback`). The
  // clients pin different google-auth-library majors, whose client classes differ only in type.
  const gax: Record<string, string | number | boolean | object> = {
    ...(staticAuth ? { authClient: staticAuth } : {}),
    ...(endpoint
      ? {
          apiEndpoint: endpoint.hostname,
          port: Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80)),
          protocol: endpoint.protocol.replace(':', ''),
          fallback: true as const,
        }
      : {}),
  };
  return {
    iam: iam({
      version: 'v1',
      auth: staticAuth ?? new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] }),
      ...(endpoint ? { rootUrl: `${endpoint.origin}/` } : {}),
    } as unknown as iam_v1.Options),
    denyPolicies: new PoliciesClient(gax),
    projects: new ProjectsClient(gax),
    secrets: new SecretManagerServiceClient(gax),
  };
}

const GRPC_STATUS = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

/** The canonical status of a failed call, from whichever client shape it came in (gaxios or gax). */
export function gcpStatus(error: unknown): string | undefined {
  const failure = error as { code?: unknown; status?: unknown; response?: { status?: number; data?: unknown } };
  let data = failure.response?.data;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data) as unknown;
    } catch {
      data = undefined;
    }
  }
  const named = (data as { error?: { status?: unknown } } | undefined)?.error?.status;
  if (typeof named === 'string') return named;
  if (typeof failure.code === 'number' && failure.code < GRPC_STATUS.length && !failure.response)
    return GRPC_STATUS[failure.code];
  const http = failure.response?.status ?? (typeof failure.status === 'number' ? failure.status : undefined);
  return http === 404
    ? 'NOT_FOUND'
    : http === 403
      ? 'PERMISSION_DENIED'
      : http === 401
        ? 'UNAUTHENTICATED'
        : http === 409
          ? 'ABORTED'
          : undefined;
}

/** The provider's words, without the client's wrapping. */
function gcpMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  try {
    return (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
  } catch {
    return text;
  }
}

/** Google's canonical status names (its REST errors carry them; gax errors their numbers). */
const GCP: ProviderDialect = {
  name: 'GCP',
  codes: {
    NOT_FOUND: 'NoSuchEntity',
    PERMISSION_DENIED: 'AccessDenied',
    UNAUTHENTICATED: 'AccessDenied',
    INVALID_ARGUMENT: 'ProviderRejected',
    FAILED_PRECONDITION: 'ProviderRejected',
    ALREADY_EXISTS: 'ProviderRejected',
    OUT_OF_RANGE: 'ProviderRejected',
    RESOURCE_EXHAUSTED: 'Throttled',
    // A concurrent change (a stale etag): the caller redoes it from a fresh read, or the step is retried.
    ABORTED: 'ProviderFault',
    UNAVAILABLE: 'ProviderFault',
  },
};

/** Sorts a GCP failure into the step vocabulary (activities/step-failure.ts). */
export function gcpFailure(error: unknown, what: string): ApplicationFailure {
  const status = (error as { response?: { status?: number } }).response?.status;
  return classifyFault(
    { status: typeof status === 'number' ? status : undefined, code: gcpStatus(error), message: gcpMessage(error) },
    what,
    GCP,
  );
}

/** Awaits a GCP call; a failure is sorted by gcpFailure. */
export async function gcpCall<T>(call: Promise<T>, what: string): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw gcpFailure(error, what);
  }
}

/** The call's result, or undefined when the resource does not exist. */
export async function gcpFind<T>(call: Promise<T>, what: string): Promise<T | undefined> {
  try {
    return await gcpCall(call, what);
  } catch (error) {
    if (error instanceof ApplicationFailure && error.type === 'NoSuchEntity') return undefined;
    throw error;
  }
}

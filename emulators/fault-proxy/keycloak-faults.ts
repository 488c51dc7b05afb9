import type { FaultAnswer, ProviderFaults } from './fault-proxy';

/** Keycloak's error shape: an OAuth-style `{error, error_description}` body (a gateway in front says 429). */
function keycloakError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): FaultAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ error, error_description: description }),
  };
}

export const KEYCLOAK_FAULTS: ProviderFaults = {
  error: () => keycloakError(500, 'unknown_error', 'injected fault: internal error'),
  throttle: () => keycloakError(429, 'too_many_requests', 'injected fault: slow down', { 'retry-after': '1' }),
};

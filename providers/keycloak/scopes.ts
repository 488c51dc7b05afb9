/**
 * Which of an agent's client scopes a narrowing removes: those that let it change things. By name: a scope
 * ending in `:write`, `:admin` or `:delete` (the `<resource>:<verb>` convention of MCP servers and agent
 * tool servers); read scopes and Keycloak's own (profile, roles, ...) stay. Pure.
 */
const WRITE_SCOPE = /:(write|admin|delete)$/;

export function isWriteScope(name: string): boolean {
  return WRITE_SCOPE.test(name);
}

import { createCodecAccess } from '../../codec/codec-access';

/** Tools' access to a test codec server: the shared bearer token, and nobody else. */
export const TOOL_TOKEN = 'test-tool-token-0123456789';
export const toolAccess = () => createCodecAccess({ allowed: new Set(), token: TOOL_TOKEN, sessionLifetimeMs: 60_000 });
export const toolAuthorization = { authorization: `Bearer ${TOOL_TOKEN}` };

/** Google's canonical error codes as the REST APIs send them: HTTP status and `status` name. */
const STATUS = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  ABORTED: 409,
  RESOURCE_EXHAUSTED: 429,
} as const;

/** An error the server answers with `{"error": {"code", "message", "status"}}`. */
export class GcpError extends Error {
  constructor(
    readonly status: keyof typeof STATUS,
    message: string,
  ) {
    super(message);
  }

  get httpCode(): number {
    return STATUS[this.status];
  }

  body(): { error: { code: number; message: string; status: string } } {
    return { error: { code: this.httpCode, message: this.message, status: this.status } };
  }
}

export const notFound = (what: string) => new GcpError('NOT_FOUND', `${what} not found.`);

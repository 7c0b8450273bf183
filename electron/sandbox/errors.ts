// Errors the Sandbox answers with, in the API guide's format: {"error":{"code","message","retry_after?"}}.

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message)
  }

  body(): { error: { code: string; message: string; retry_after?: number } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.retryAfter !== undefined ? { retry_after: this.retryAfter } : {}),
      },
    }
  }
}

export const badRequest = (code: string, message: string) => new ApiFailure(400, code, message)

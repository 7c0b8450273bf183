// The engine's errors: a stable `code` (the UI and the CLI map codes to actions) and a human message.
export class EngineError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

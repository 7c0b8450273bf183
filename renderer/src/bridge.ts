// The only file that touches window.seedance. It turns IpcResult values into data or a thrown AppError
// with a stable code, so components and stores never see the transport.
import type {
  EventChannel,
  EventPayload,
  InvokeChannel,
  InvokeRequest,
  InvokeResponse,
  SeedanceBridge,
} from '../../electron/shared/contract'

declare global {
  interface Window {
    seedance?: SeedanceBridge
  }
}

export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

function bridge(): SeedanceBridge {
  const b = window.seedance
  if (!b) throw new AppError('BRIDGE_UNAVAILABLE', 'Seedance Studio could not reach its engine. Restart the app.')
  return b
}

export async function call<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>> {
  const result = await bridge().invoke(channel, request)
  if (!result.ok) throw new AppError(result.error.code, result.error.message)
  return result.data
}

export function subscribe<E extends EventChannel>(
  channel: E,
  listener: (payload: EventPayload<E>) => void,
): () => void {
  return bridge().on(channel, listener)
}

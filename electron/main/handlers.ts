// The handler table: each channel of the contract mapped to the engine. Handlers stay thin
// (validated input in, plain data out); the Electron shell and the browser harness both build it here.
import type { AppInfo } from '../shared/model'
import type { HandlerTable } from './ipc'

export interface Services {
  appInfo: () => AppInfo
}

export function createHandlers(services: Services): HandlerTable {
  return {
    'app:info': () => services.appInfo(),
  }
}

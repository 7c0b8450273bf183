// The preload exposes the contract's channels on window.seedance and nothing else. It runs sandboxed,
// so it is bundled into one CommonJS file that requires only `electron`.
import { contextBridge, ipcRenderer } from 'electron'
import { type BridgeTransport, createBridge } from '../shared/bridge'

const transport: BridgeTransport = {
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
  subscribe(channel, listener) {
    const wrapped = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on(channel, wrapped)
    return () => {
      ipcRenderer.removeListener(channel, wrapped)
    }
  },
}

contextBridge.exposeInMainWorld('seedance', createBridge(transport))

// Module resolve hook for the boot test: the built main bundle's `electron` becomes the recording stand-in,
// and the OS keychain binding an in-memory one, so booting the app never needs Electron's binary nor touches a
// real keychain. Registered by register.mjs (node --import); see https://nodejs.org/api/module.html#customization-hooks
const stand = {
  electron: new URL('./electron.mjs', import.meta.url).href,
  '@napi-rs/keyring/keytar.js': new URL('./keytar.mjs', import.meta.url).href,
}

export async function resolve(specifier, context, nextResolve) {
  const url = stand[specifier]
  return url ? { url, format: 'module', shortCircuit: true } : nextResolve(specifier, context)
}

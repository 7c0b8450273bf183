// An in-memory keytar (the API @napi-rs/keyring/keytar.js offers), empty at start: the app boots with no key.
const entries = new Map()
const id = (service, account) => `${service}\u0000${account}`

export async function getPassword(service, account) {
  return entries.get(id(service, account)) ?? null
}
export async function setPassword(service, account, password) {
  entries.set(id(service, account), password)
}
export async function deletePassword(service, account) {
  return entries.delete(id(service, account))
}
export async function findCredentials(service) {
  return [...entries]
    .filter(([k]) => k.startsWith(`${service}\u0000`))
    .map(([k, password]) => ({ account: k.split('\u0000')[1], password }))
}

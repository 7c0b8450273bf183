// node --import ./test/fakes/electron-main/register.mjs out/main/index.js: see hooks.mjs.
import { register } from 'node:module'

register('./hooks.mjs', import.meta.url)

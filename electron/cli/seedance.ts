#!/usr/bin/env node
// Entry point of the `seedance` command.
import { main } from './index'

main(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env, stdin: process.stdin }).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)

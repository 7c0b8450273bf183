// Testing Library unmounts after each test on its own only when test globals exist; we import from vitest.
import { cleanup } from '@testing-library/react'
import { afterEach } from 'vitest'

afterEach(cleanup)

// The held-queue banner (issue 11): what is spent, what is left, when the cap resets (local time), and "Raise cap"
// opening an inline editor that sends budget:set; the banner goes once the engine says nothing is held.
import { act, fireEvent, render, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import type { BudgetHold, BudgetStatus } from '../../../../electron/shared/budget'
import { BudgetBanner } from '../../../../renderer/src/features/budget/BudgetBanner'
import { resetText } from '../../../../renderer/src/features/budget/format'
import { useBudget } from '../../../../renderer/src/stores/budget'
import { installBridge } from '../../bridge-stub'

const resetsAt = Date.parse('2026-12-03T05:00:00Z')
const hold: BudgetHold = {
  code: 'BUDGET_CAP',
  provider: 'fal',
  period: 'daily',
  cap: { amount: 0.5, unit: 'usd' },
  spent: 0.2,
  held: 0.2,
  left: 0.1,
  need: 0.21,
  resetsAt,
  message: '…',
  note: '…',
}
const status = (h: BudgetHold | null): BudgetStatus => ({
  timeZone: 'America/New_York',
  providers: [
    {
      provider: 'fal',
      unit: 'tokens',
      today: { amount: 160_000, usd: 0.4, unpriced: 0 },
      month: { amount: 160_000, usd: 0.4, unpriced: 0 },
      caps: [
        { period: 'daily', cap: h?.cap ?? { amount: 1, unit: 'usd' }, spent: 0.2, held: 0.2, left: 0.1, resetsAt },
      ],
      hold: h,
    },
  ],
})

beforeEach(() => useBudget.setState({ status: null }))

describe('BudgetBanner', () => {
  it('shows nothing while no queue is held', () => {
    installBridge()
    useBudget.getState().set(status(null))
    const { container } = render(<BudgetBanner />)
    expect(container.textContent).toBe('')
  })

  it('says what is spent, what is left and when the cap resets, and raises the cap inline', async () => {
    const bridge = installBridge({ 'budget:set': () => status(null) })
    useBudget.getState().set(status(hold))
    render(<BudgetBanner />)
    const banner = screen.getByRole('alert', { name: 'fal.ai spending cap reached' })
    expect(banner.textContent).toContain('fal.ai’s daily cap of $0.50 is reached')
    const figure = (term: string) => within(banner).getByText(term).nextElementSibling?.textContent
    expect(figure('Spent')).toBe('$0.20')
    expect(figure('In progress')).toBe('$0.20')
    expect(figure('Left')).toBe('$0.10')
    expect(figure('Next job')).toBe('$0.21')
    expect(figure('Resets')).toBe(resetText(resetsAt, 'America/New_York'))

    fireEvent.click(within(banner).getByRole('button', { name: 'Raise cap' }))
    // Suggested: enough for the held job on top of what is spent and held, to the cent.
    const amount = within(banner).getByRole('textbox', { name: 'Amount' }) as HTMLInputElement
    expect(amount.value).toBe('0.61')
    fireEvent.change(amount, { target: { value: '2' } })
    await act(async () => {
      fireEvent.click(within(banner).getByRole('button', { name: 'Save cap' }))
    })
    expect(bridge.calls.find((c) => c.channel === 'budget:set')?.payload).toEqual({
      provider: 'fal',
      period: 'daily',
      amount: 2,
      unit: 'usd',
    })
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('names the local time of a reset a few days ahead', () => {
    const now = Date.parse('2026-12-10T15:00:00Z')
    expect(resetText(Date.parse('2027-01-01T05:00:00Z'), 'America/New_York', now)).toMatch(
      /^(00:00|12:00\s?AM) on .*(Jan 1|1 Jan)$/,
    )
    expect(resetText(Date.parse('2026-12-11T05:00:00Z'), 'America/New_York', now)).toMatch(
      /^(00:00|12:00\s?AM) tomorrow$/,
    )
  })
})

// The detail panel's sequence block (issue 11): a clip the service kept a last-frame image for is continued without
// decoding anything here (main uses the kept image); a sequence shows its clips in order with the one open marked,
// and its export says how it went or why it was refused.
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { SequencePanel } from '../../../../renderer/src/features/sequence/SequencePanel'
import { useLibrary } from '../../../../renderer/src/stores/library'
import { useUi } from '../../../../renderer/src/stores/ui'
import { entry } from '../../../fixtures/records'
import { installBridge } from '../../bridge-stub'

const first = entry({ id: 'a', title: 'Harbor at dawn', createdAt: 1, provider: 'ark', lastFrame: 'a.png' })
const second = entry({ id: 'b', title: 'Boats leave', createdAt: 2, continues: 'a', provider: 'ark' })

beforeEach(() => {
  useUi.setState({ detailId: 'b' })
  useLibrary.getState().set([first, second, entry({ id: 'c', title: 'Unrelated', createdAt: 3 })])
})

describe('SequencePanel', () => {
  it('continues from the kept last frame: the request carries no frame of its own', async () => {
    const bridge = installBridge({
      'library:continue': () => ({ job: { id: 'j' }, joined: false, frameFrom: 'service' }),
    })
    render(<SequencePanel entry={first} />)
    fireEvent.click(screen.getByRole('button', { name: 'Continue from last frame' }))
    await screen.findByText(/Continuing from the last frame/)
    expect(bridge.calls).toEqual([{ channel: 'library:continue', payload: { id: 'a', prompt: null } }])
  })

  it('shows the clips of the sequence in order, the one open marked; another clip opens from the strip', () => {
    installBridge()
    render(<SequencePanel entry={second} />)
    expect(screen.getByTestId('sequence-summary').textContent).toBe(
      `Sequence: 2 clips, ${first.duration + second.duration} s`,
    )
    const clips = screen.getAllByTestId('sequence-clip')
    expect(clips.map((c) => c.getAttribute('aria-label'))).toEqual(['Clip 1: Harbor at dawn', 'Clip 2: Boats leave'])
    expect(clips[1]?.getAttribute('aria-current')).toBe('true')
    fireEvent.click(clips[0] as HTMLElement)
    expect(useUi.getState().detailId).toBe('a')
  })

  it('export: says how it went, or why it was refused', async () => {
    let answer: () => unknown = () => ({
      exported: { file: '/v/seq.mp4', method: 'copy', reason: null, clips: 2, durationSeconds: 10, bytes: 1 },
    })
    installBridge({ 'library:export-sequence': () => answer() })
    render(<SequencePanel entry={second} />)
    fireEvent.click(screen.getByRole('button', { name: 'Export sequence…' }))
    await screen.findByText('Exported 2 clips, 10.0 s, without re-encoding: /v/seq.mp4')
    answer = () => {
      throw Object.assign(new Error('The clips must be re-encoded (…), and this machine has no ffmpeg'), {
        code: 'NO_ENCODER',
      })
    }
    fireEvent.click(screen.getByRole('button', { name: 'Export sequence…' }))
    await waitFor(() => expect(screen.getByTestId('sequence-status').textContent).toContain('no ffmpeg'))
  })
})

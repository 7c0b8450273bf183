import { act, fireEvent, render, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { Composer } from '../../../../renderer/src/features/composer/Composer'
import { COMPOSER_DEFAULTS, useComposer } from '../../../../renderer/src/stores/composer'
import { useUi } from '../../../../renderer/src/stores/ui'
import { entry, job } from '../../../fixtures/records'
import { installBridge } from '../../bridge-stub'

beforeEach(() => {
  useComposer.setState(COMPOSER_DEFAULTS)
  useUi.setState({ view: 'create' })
})

const generate = () => screen.getByRole('button', { name: /Generate|Submitting/ })

describe('Composer', () => {
  it('counts characters and refuses an empty or over-long prompt', () => {
    installBridge()
    render(<Composer />)
    expect(generate()).toHaveProperty('disabled', true)
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'x'.repeat(2001) } })
    expect(screen.getByText('2,001 / 2,000').className).toContain('over')
    expect(generate()).toHaveProperty('disabled', true)
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'a lake' } })
    expect(generate()).toHaveProperty('disabled', false)
  })

  it('estimates credits from duration and resolution', () => {
    installBridge()
    render(<Composer />)
    expect(screen.getByTestId('credit-estimate').textContent).toBe('≈ 7 credits') // 5 s at 1080p
    fireEvent.click(screen.getByRole('button', { name: '720p' }))
    expect(screen.getByTestId('credit-estimate').textContent).toBe('≈ 4 credits')
  })

  it('submits with Ctrl+Enter and moves to the queue', async () => {
    const bridge = installBridge({ 'jobs:submit': () => ({ job: job(), existing: null }) })
    render(<Composer />)
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'a quiet lake' } })
    await act(async () => {
      fireEvent.keyDown(screen.getByLabelText('Prompt'), { key: 'Enter', ctrlKey: true })
    })
    expect(bridge.calls.find((c) => c.channel === 'jobs:submit')?.payload).toMatchObject({
      prompt: 'a quiet lake',
      duration: 5,
      resolution: '1080p',
      aspectRatio: '16:9',
      image: null,
      force: false,
    })
    expect(useUi.getState().view).toBe('queue')
  })

  it('offers the video already made instead of spending credits', async () => {
    installBridge({ 'jobs:submit': () => ({ job: null, existing: entry() }) })
    render(<Composer />)
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'sunset over the ocean' } })
    await act(async () => {
      fireEvent.click(generate())
    })
    expect(screen.getByTestId('already-made').textContent).toContain('You already made this on')
    expect(useUi.getState().view).toBe('create')
  })

  it('says it joined the job already making this request, instead of doing nothing or paying twice', async () => {
    installBridge({ 'jobs:submit': () => ({ job: job({ state: 'queued' }), existing: null, joined: true }) })
    render(<Composer />)
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'sunset over the ocean' } })
    await act(async () => {
      fireEvent.click(generate())
    })
    expect(screen.getByTestId('joined').textContent).toContain('already in the queue: it was joined')
    expect(useUi.getState().view).toBe('create')
    fireEvent.click(screen.getByRole('button', { name: 'Show it in the queue' }))
    expect(useUi.getState().view).toBe('queue')
  })

  it('shows a prompt the service refused under the prompt', async () => {
    installBridge({
      'jobs:submit': () => {
        throw Object.assign(new Error('prompt violates the content policy (blocked term: "gore").'), {
          code: 'INVALID_PROMPT',
        })
      },
    })
    render(<Composer />)
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'gore' } })
    await act(async () => {
      fireEvent.click(generate())
    })
    expect(screen.getByRole('alert').textContent).toContain('content policy')
    expect(screen.getByLabelText('Prompt').getAttribute('aria-invalid')).toBe('true')
  })

  it('takes an https image URL instead of a file in image mode', async () => {
    const bridge = installBridge({ 'jobs:submit': () => ({ job: job(), existing: null }) })
    render(<Composer />)
    fireEvent.click(screen.getByRole('button', { name: 'Image to video' }))
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'push in' } })
    const url = screen.getByLabelText('…or an image on the web')
    fireEvent.change(url, { target: { value: 'http://example.com/a.jpg' } })
    expect(screen.getByText('The URL must start with https://.')).toBeTruthy()
    expect(generate()).toHaveProperty('disabled', true)
    fireEvent.change(url, { target: { value: 'https://example.com/a.jpg' } })
    await act(async () => {
      fireEvent.click(generate())
    })
    expect(bridge.calls.find((c) => c.channel === 'jobs:submit')?.payload).toMatchObject({
      imageUrl: 'https://example.com/a.jpg',
      image: null,
      motionIntensity: 0.5,
    })
  })

  it('needs an image in image mode', () => {
    installBridge()
    render(<Composer />)
    fireEvent.click(screen.getByRole('button', { name: 'Image to video' }))
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'push in' } })
    expect(screen.getByTestId('image-drop')).toBeTruthy()
    expect(generate()).toHaveProperty('disabled', true)
    expect(screen.getByText(/Motion intensity/)).toBeTruthy()
  })
})

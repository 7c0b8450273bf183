import { act, fireEvent, render, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { Composer } from '../../../../renderer/src/features/composer/Composer'
import { COMPOSER_DEFAULTS, useComposer } from '../../../../renderer/src/stores/composer'
import { useEngine } from '../../../../renderer/src/stores/engine'
import { useUi } from '../../../../renderer/src/stores/ui'
import { entry, job } from '../../../fixtures/records'
import { installBridge } from '../../bridge-stub'

beforeEach(() => {
  useComposer.setState(COMPOSER_DEFAULTS)
  useUi.setState({ view: 'create' })
  useEngine.setState({ status: null })
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

  it('submits with Ctrl+Enter and stays on Create, where the take appears (the studio)', async () => {
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
    expect(useUi.getState().view).toBe('create')
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

  it('builds its controls from the chosen model: an Ark model brings 480p, 21:9 and a seed, and takes style away', () => {
    installBridge()
    render(<Composer />)
    expect(screen.queryByRole('button', { name: '480p' })).toBeNull()
    expect(screen.queryByRole('button', { name: 'Cinema 21:9' })).toBeNull()
    expect(screen.getByText('Style')).toBeTruthy()
    expect(screen.queryByLabelText('Seed')).toBeNull()
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: 'ark' } })
    expect((screen.getByLabelText('Model') as HTMLSelectElement).value).toBe('seedance-1-0-pro-250528')
    expect(screen.getByRole('button', { name: '480p' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Cinema 21:9' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Classic 4:3' })).toBeTruthy()
    expect(screen.queryByText('Style')).toBeNull()
    expect(screen.getByLabelText('Seed')).toBeTruthy()
    expect(screen.getByLabelText('Fixed camera')).toBeTruthy()
    expect(screen.getByLabelText('Duration: 5 s').getAttribute('max')).toBe('12')
    expect(screen.getByTestId('credit-estimate').textContent).toMatch(/^≈ [\d,]+ tokens$/)
    expect(screen.getByTestId('usd-estimate').textContent).toMatch(/^≈ \$\d+\.\d\d$/)
  })

  it('says what it changed to fit a model, never silently', () => {
    installBridge()
    render(<Composer />)
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: 'ark' } })
    fireEvent.change(screen.getByLabelText('Model'), { target: { value: 'dreamina-seedance-2-5-260628' } })
    expect(screen.getByTestId('fit-notice').textContent).toContain(
      'Resolution 1080p → 720p: Seedance 2.5 makes 480p, 720p.',
    )
    fireEvent.change(screen.getByLabelText('Duration: 5 s'), { target: { value: '20' } })
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: 'seedance' } })
    expect(screen.getByTestId('fit-notice').textContent).toContain(
      'Duration 20 s → 8 s: Seedance (standard tier) makes 1–8 s.',
    )
    expect(screen.getByLabelText('Duration: 8 s')).toBeTruthy()
  })

  it('follows the engine’s default door and model until the user picks one', () => {
    installBridge()
    useEngine.setState({
      status: { provider: 'fal', model: 'bytedance/seedance-2.0' } as never,
    })
    render(<Composer />)
    expect((screen.getByLabelText('Service') as HTMLSelectElement).value).toBe('fal')
    expect((screen.getByLabelText('Model') as HTMLSelectElement).value).toBe('bytedance/seedance-2.0')
    expect(screen.getByLabelText('Generate sound')).toBeTruthy()
  })

  it('sends provider, model and seed; a locked seed is kept for the next generation, an unlocked one used once', async () => {
    const bridge = installBridge({ 'jobs:submit': () => ({ job: job(), existing: null, joined: true }) })
    useComposer.setState({ random: () => 0.25 })
    render(<Composer />)
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: 'ark' } })
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'a lighthouse' } })
    fireEvent.click(screen.getByLabelText('Lock seed'))
    fireEvent.click(screen.getByLabelText('Fixed camera'))
    await act(async () => {
      fireEvent.click(generate())
    })
    await act(async () => {
      fireEvent.click(generate())
    })
    const sent = bridge.calls.filter((c) => c.channel === 'jobs:submit').map((c) => c.payload)
    expect(sent[0]).toMatchObject({
      provider: 'ark',
      model: 'seedance-1-0-pro-250528',
      seed: 536870912,
      cameraFixed: true,
    })
    expect((sent[1] as { seed: number }).seed).toBe(536870912)
    expect((screen.getByLabelText('Seed') as HTMLInputElement).value).toBe('536870912')
    fireEvent.click(screen.getByLabelText('Lock seed'))
    fireEvent.change(screen.getByLabelText('Seed'), { target: { value: '7' } })
    await act(async () => {
      fireEvent.click(generate())
    })
    await act(async () => {
      fireEvent.click(generate())
    })
    const more = bridge.calls
      .filter((c) => c.channel === 'jobs:submit')
      .map((c) => (c.payload as { seed: number }).seed)
    expect(more.slice(2)).toEqual([7, null])
  })

  it('refuses a seed that is not a whole number, saying so under the field', () => {
    installBridge()
    render(<Composer />)
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: 'ark' } })
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'a lighthouse' } })
    fireEvent.change(screen.getByLabelText('Seed'), { target: { value: 'abc' } })
    expect(screen.getByText('The seed is a whole number (or empty for a random one).')).toBeTruthy()
    expect(generate()).toHaveProperty('disabled', true)
  })

  it('offers the last frame only with an image, on a model with first and last frames', () => {
    installBridge()
    render(<Composer />)
    fireEvent.click(screen.getByRole('button', { name: 'Image to video' }))
    expect(screen.queryByTestId('last-frame-drop')).toBeNull()
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: 'ark' } })
    expect(screen.getByTestId('last-frame-drop')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Adaptive: follows the image' })).toBeTruthy()
    fireEvent.change(screen.getByLabelText('Model'), { target: { value: 'seedance-1-0-pro-fast-251015' } })
    expect(screen.queryByTestId('last-frame-drop')).toBeNull()
  })

  it('reuses a video’s door, model and seed', () => {
    installBridge()
    useComposer.getState().reuse(
      entry({
        provider: 'replicate',
        model: 'bytedance/seedance-1-pro',
        seed: 99,
        resolution: '480p',
        aspectRatio: '21:9',
      }),
    )
    render(<Composer />)
    expect((screen.getByLabelText('Service') as HTMLSelectElement).value).toBe('replicate')
    expect((screen.getByLabelText('Model') as HTMLSelectElement).value).toBe('bytedance/seedance-1-pro')
    expect((screen.getByLabelText('Seed') as HTMLInputElement).value).toBe('99')
    expect(screen.getByRole('button', { name: '480p' }).getAttribute('aria-pressed')).toBe('true')
    expect(screen.getByRole('button', { name: 'Cinema 21:9' }).getAttribute('aria-pressed')).toBe('true')
    expect(screen.getByTestId('usd-estimate').textContent).toBe('price not published')
  })

  it('asks for the first frame as a file when a last frame is chosen, instead of dropping the last frame', () => {
    installBridge()
    render(<Composer />)
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: 'ark' } })
    fireEvent.click(screen.getByRole('button', { name: 'Image to video' }))
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'a door opens' } })
    fireEvent.change(screen.getByLabelText('…or an image on the web'), {
      target: { value: 'https://example.com/a.jpg' },
    })
    expect(generate()).toHaveProperty('disabled', false)
    act(() => {
      useComposer
        .getState()
        .setImage(
          { name: 'end.png', data: new Uint8Array([1]), preview: 'blob:end', width: 800, height: 600 },
          null,
          'lastImage',
        )
    })
    expect(screen.getByTestId('needs-first-frame').textContent).toContain('add the first frame as a file')
    expect(screen.queryByLabelText('…or an image on the web')).toBeNull()
    expect(generate()).toHaveProperty('disabled', true)
  })

  it('shows each model’s image rules on the drop target', () => {
    installBridge()
    render(<Composer />)
    fireEvent.click(screen.getByRole('button', { name: 'Image to video' }))
    expect(screen.getByText('JPEG, PNG or WebP · up to 10 MB · 300–6,000 px a side')).toBeTruthy()
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: 'replicate' } })
    expect(screen.getAllByText('JPEG, PNG, WebP or GIF · up to 7 MB · 300–6,000 px a side')).toHaveLength(2)
    expect(screen.getByLabelText('Choose an image').getAttribute('accept')).toBe(
      'image/jpeg,image/png,image/webp,image/gif',
    )
  })

  it('keeps an unlocked seed when the video already made is offered, so "generate again" sends the same request', async () => {
    const bridge = installBridge({
      'jobs:submit': (p) =>
        (p as { force: boolean }).force
          ? { job: job(), existing: null, joined: false }
          : { job: null, existing: entry() },
    })
    render(<Composer />)
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: 'ark' } })
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'a lighthouse' } })
    fireEvent.change(screen.getByLabelText('Seed'), { target: { value: '31' } })
    await act(async () => {
      fireEvent.click(generate())
    })
    expect((screen.getByLabelText('Seed') as HTMLInputElement).value).toBe('31')
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'generate again' }))
    })
    const seeds = bridge.calls
      .filter((c) => c.channel === 'jobs:submit')
      .map((c) => (c.payload as { seed: number }).seed)
    expect(seeds).toEqual([31, 31])
    expect((screen.getByLabelText('Seed') as HTMLInputElement).value).toBe('')
  })
})

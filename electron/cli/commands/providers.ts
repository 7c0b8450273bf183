// `seedance providers`: every door to Seedance with its models (id, label, durations, resolutions, ratios, price),
// whether its key is set (and where from), and where its jobs would go now (issue 10, point 7).
import type { ProviderStatus } from '../../shared/contract'
import { type ModelInfo, type ProviderInfo, providerInfo } from '../../shared/providers'
import type { Values } from '../args'
import { EXIT } from '../exit-codes'
import { type Io, withEngine } from '../session'
import { clean } from '../terminal'

export async function providers(values: Values, io: Io): Promise<number> {
  return withEngine(
    values,
    io,
    async ({ engine }) => {
      const statuses = await engine.providers()
      if (values.json) {
        const out = statuses.map((s) => ({ ...s, ...catalogOf(providerInfo(s.id)) }))
        io.out.write(`${JSON.stringify(out, null, 2)}\n`)
      } else io.out.write(statuses.map((s) => providerText(providerInfo(s.id), s)).join('\n'))
      return EXIT.ok
    },
    // Only looks: nothing is sent or polled.
    { resume: false },
  )
}

/** A provider's catalog entry as JSON: its models and what each can do, without the price sources' prose. */
function catalogOf(p: ProviderInfo) {
  return {
    label: p.label,
    keyEnv: p.keyEnv,
    baseUrlEnv: p.baseUrlEnv,
    costUnit: p.costUnit,
    linkLifetimeHours: p.linkLifetimeMs / 3_600_000,
    defaultModel: p.defaultModel,
    models: p.models.map((m) => ({
      id: m.id,
      label: m.label,
      modes: m.modes,
      durations: m.durations,
      resolutions: m.resolutions,
      ratios: m.ratios,
      seed: m.seed,
      cameraFixed: m.cameraFixed,
      audio: m.audio,
      price: m.price,
    })),
  }
}

const UNIT_NAME: Record<ProviderInfo['costUnit'], string> = {
  credits: 'credit',
  tokens: 'million tokens',
  seconds: 'second of video',
}

/** "$2.50 per million tokens", "$0.10 (480p), $0.23 (720p) per second of video", or "price not published". */
export function priceText(p: ProviderInfo, m: ModelInfo): string {
  const per = m.price.usdPerUnit
  if (per === null) return p.costUnit === 'credits' ? 'in credits; no USD price published' : 'price not published'
  const usd = (n: number) => `$${n < 1 ? n.toFixed(4).replace(/0+$/, '').replace(/\.$/, '') : n.toFixed(2)}`
  const base =
    typeof per === 'number'
      ? usd(per)
      : Object.entries(per)
          .map(([r, v]) => `${usd(v as number)} (${r})`)
          .join(', ')
  const audio = m.price.usdPerUnitWithAudio === undefined ? '' : `, ${usd(m.price.usdPerUnitWithAudio)} with sound`
  return `${base}${audio} per ${UNIT_NAME[p.costUnit]}`
}

const MODE_NAME: Record<ModelInfo['modes'][number], string> = {
  text: 'text',
  'first-frame': 'first frame',
  'first-last-frame': 'first + last frame',
}

function keyText(p: ProviderInfo, s: ProviderStatus): string {
  if (s.key === null) return `unknown: the system keychain cannot be read (${p.keyEnv} is read)`
  if (!s.key.hasKey) return `not set (system keychain, or ${p.keyEnv})`
  const from = s.key.source === 'environment' ? `from ${p.keyEnv}` : 'in the system keychain'
  return `set, ending in …${clean(s.key.last4 ?? '')} (${from})`
}

function providerText(p: ProviderInfo, s: ProviderStatus): string {
  const where = s.target === 'cloud' ? `${p.label} at ${clean(s.baseUrl)}` : 'the built-in Sandbox'
  const lines = [
    `${p.label} (${p.id})`,
    `  ${p.blurb}`,
    `  key: ${keyText(p, s)}`,
    `  jobs go to: ${where}`,
    ...(s.reason ? [`    (${clean(s.reason)})`] : []),
    `  cost: in ${p.costUnit}; videos are saved at once (links last ${p.linkLifetimeMs / 3_600_000} h)`,
    '  models:',
  ]
  for (const m of p.models) {
    const d = m.durations
    const extras = [m.seed && 'seed', m.cameraFixed && 'fixed camera', m.audio && 'sound', m.style && 'style']
      .filter(Boolean)
      .join(', ')
    lines.push(
      `    ${m.id}${m.id === s.model ? ' (default)' : ''}: ${m.label}`,
      `      ${d.min}-${d.max} s${d.auto ? ' or auto' : ''} · ${m.resolutions.join(' ')} · ${m.ratios.join(' ')}`,
      `      ${m.modes.map((x) => MODE_NAME[x]).join(', ')}${extras ? ` · ${extras}` : ''}`,
      `      ${priceText(p, m)}`,
    )
  }
  return `${lines.join('\n')}\n`
}

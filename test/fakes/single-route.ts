// A route for job manager tests with one connection (a provider instance and the kind of service it is): jobs of
// that door go through it, except a job sent to another service (job.service), which waits for it; other doors
// wait. The engine's own route is electron/core/doors/route.ts.

import { serviceMatch, waitingNote } from '../../electron/core/jobs/job-policy'
import type { RouteJob } from '../../electron/core/jobs/route'
import type { VideoProvider } from '../../electron/core/providers/port'
import type { JobService } from '../../electron/shared/model'
import { providerInfo } from '../../electron/shared/providers'

export function singleConnectionRoute(current: () => { provider: VideoProvider; kind: JobService['kind'] }): RouteJob {
  return (job) => {
    const { provider, kind } = current()
    const service: JobService = { kind, origin: new URL(provider.baseUrl).origin }
    if (job.request.provider !== provider.id)
      return { held: `Waiting for ${providerInfo(job.request.provider).label}: it is not connected.` }
    if (job.state !== 'pending' && job.state !== 'submitting' && serviceMatch(job, service) === 'other')
      return { held: waitingNote(job, service) }
    return { provider, service }
  }
}

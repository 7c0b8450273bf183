import type { JobRecord, LibraryEntry } from '../../electron/shared/model'

export function job(over: Partial<JobRecord> = {}): JobRecord {
  const now = Date.now()
  return {
    id: 'j1',
    request: {
      mode: 'text',
      prompt: 'sunset over the ocean',
      duration: 4,
      resolution: '720p',
      aspectRatio: '16:9',
      style: null,
      motionIntensity: null,
      image: null,
    },
    fingerprint: 'f',
    state: 'queued',
    createdAt: now - 10_000,
    updatedAt: now,
    submittedAt: now - 10_000,
    remoteId: 'job_1',
    estimatedCompletion: now + 20_000,
    completedAt: null,
    attempts: 1,
    credits: 3,
    error: null,
    note: null,
    nextAt: null,
    output: null,
    videoId: null,
    batch: null,
    ...over,
  }
}

export function entry(over: Partial<LibraryEntry> = {}): LibraryEntry {
  return {
    id: 'v1',
    file: 'v1.mp4',
    title: 'Sunset over the ocean',
    prompt: 'sunset over the ocean',
    mode: 'text',
    duration: 4,
    resolution: '720p',
    aspectRatio: '16:9',
    style: null,
    motionIntensity: null,
    width: 1280,
    height: 720,
    sizeBytes: 123_000,
    sha256: 'x',
    createdAt: Date.UTC(2026, 10, 1),
    generationMs: 40_000,
    credits: 3,
    favorite: false,
    fingerprint: 'fp',
    jobId: 'j1',
    remoteId: 'job_1',
    image: null,
    thumbnail: null,
    expired: false,
    external: false,
    ...over,
  }
}

// The MP4 writer moved to electron/node/mp4-mux.ts (issue 11): the engine joins a sequence's clips with it too.
export * from '../../node/mp4-mux'

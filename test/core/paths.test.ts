import { describe, expect, it } from 'vitest'
import { defaultDataPaths } from '../../electron/core/paths'

describe('defaultDataPaths', () => {
  it('uses the per-user config folder on Linux, and ~/Videos for the library', () => {
    const p = defaultDataPaths({ platform: 'linux', home: '/home/ana', env: {} })
    expect(p.userData).toBe('/home/ana/.config/Seedance Studio')
    expect(p.settingsFile).toBe('/home/ana/.config/Seedance Studio/config.json')
    expect(p.logs).toBe('/home/ana/.config/Seedance Studio/logs')
    expect(p.library).toBe('/home/ana/Videos/Seedance Studio')
  })

  it('honours XDG_CONFIG_HOME and XDG_VIDEOS_DIR on Linux', () => {
    const p = defaultDataPaths({
      platform: 'linux',
      home: '/home/ana',
      env: { XDG_CONFIG_HOME: '/xdg/config', XDG_VIDEOS_DIR: '$HOME/Clips' },
    })
    expect(p.userData).toBe('/xdg/config/Seedance Studio')
    expect(p.library).toBe('/home/ana/Clips/Seedance Studio')
  })

  it('matches Electron on macOS: Application Support, and ~/Movies', () => {
    const p = defaultDataPaths({ platform: 'darwin', home: '/Users/ana', env: {} })
    expect(p.userData).toBe('/Users/ana/Library/Application Support/Seedance Studio')
    expect(p.library).toBe('/Users/ana/Movies/Seedance Studio')
  })

  it('matches Electron on Windows: %APPDATA%, and Videos in the profile', () => {
    const p = defaultDataPaths({
      platform: 'win32',
      home: 'C:\\Users\\Ana',
      env: { APPDATA: 'C:\\Users\\Ana\\AppData\\Roaming' },
    })
    expect(p.userData).toBe('C:\\Users\\Ana\\AppData\\Roaming\\Seedance Studio')
    expect(p.library).toBe('C:\\Users\\Ana\\Videos\\Seedance Studio')
  })

  it('lets SEEDANCE_DATA_DIR and SEEDANCE_LIBRARY override both folders', () => {
    const p = defaultDataPaths({
      platform: 'linux',
      home: '/home/ana',
      env: { SEEDANCE_DATA_DIR: '/data/sd', SEEDANCE_LIBRARY: '/media/videos' },
    })
    expect(p.userData).toBe('/data/sd')
    expect(p.library).toBe('/media/videos')
  })
})

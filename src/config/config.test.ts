import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { isDcgridError } from '../lib/errors.js';

describe('loadConfig', () => {
  it('applies documented defaults', () => {
    const config = loadConfig({}, { cwd: '/tmp/x', dotenv: false });
    expect(config.REGION).toBe('IE');
    expect(config.TARGETS).toEqual([
      'dc_load_mw',
      'price_eur_mwh',
      'co2_intensity',
      'stress_score',
      'stress_event',
    ]);
    expect(config.FORECAST_HORIZON_H).toBe(168);
    expect(config.CONTEXT_LENGTH_H).toBe(168);
    expect(config.home).toBe('/tmp/x/.dcgrid');
    expect(config.artifactUri).toBe('file:///tmp/x/.dcgrid/artifacts');
    expect(config.embedded).toBe(true);
    expect(config.STRESS_WEIGHTS.net_load).toBe(0.5);
  });

  it('parses lists and weights', () => {
    const config = loadConfig(
      {
        TARGETS: 'demand_mw, price_eur_mwh',
        STRESS_WEIGHTS: 'net_load=1,renewables=0,price=0,interconnector=0,snsp=0',
        DATABASE_URL: 'postgres://root@127.0.0.1/test',
      },
      { dotenv: false },
    );
    expect(config.TARGETS).toEqual(['demand_mw', 'price_eur_mwh']);
    expect(config.STRESS_WEIGHTS.net_load).toBe(1);
    expect(config.embedded).toBe(false);
  });

  it('names every invalid setting', () => {
    try {
      loadConfig(
        {
          REGION: 'FR',
          FORECAST_HORIZON_H: '500',
          ARTIFACT_URI: 'ftp://x',
          STRESS_ALERT_THRESHOLD: 'Infinity',
        },
        { dotenv: false },
      );
      expect.unreachable();
    } catch (error) {
      expect(isDcgridError(error, 'E_CONFIG_INVALID')).toBe(true);
      const message = (error as Error).message;
      expect(message).toContain('REGION');
      expect(message).toContain('FORECAST_HORIZON_H');
      expect(message).toContain('ARTIFACT_URI');
      expect(message).toContain('STRESS_ALERT_THRESHOLD');
    }
  });

  it('keeps download URLs as written and refuses ones that are not http(s)', () => {
    const config = loadConfig(
      {
        EIRGRID_WORKBOOK_URL: 'http://mirror.example/eirgrid/files/',
        EMBER_URL: 'https://mirror.example/ember/Ireland.csv',
      },
      { dotenv: false },
    );
    expect(config.EIRGRID_WORKBOOK_URL).toBe('http://mirror.example/eirgrid/files/');
    expect(config.EMBER_URL).toBe('https://mirror.example/ember/Ireland.csv');
    expect(config.DASHBOARD_BASE_URL).toBeUndefined();
    try {
      loadConfig(
        { CSO_BASE_URL: 'ftp://mirror.example', SEMOPX_BASE_URL: 'reports.semopx.com' },
        { dotenv: false },
      );
      expect.unreachable();
    } catch (error) {
      expect(isDcgridError(error, 'E_CONFIG_INVALID')).toBe(true);
      expect((error as Error).message).toContain('CSO_BASE_URL: must be an http:// or https:// URL');
      expect((error as Error).message).toContain('SEMOPX_BASE_URL: must be an http:// or https:// URL');
    }
  });
});

describe('DATABASE_URL', () => {
  const problemWith = (url: string): string => {
    try {
      loadConfig({ DATABASE_URL: url }, { dotenv: false });
    } catch (error) {
      expect(isDcgridError(error, 'E_CONFIG_INVALID')).toBe(true);
      return (error as Error).message;
    }
    return '';
  };

  it('accepts PostgreSQL URLs, with a socket folder too', () => {
    for (const url of [
      'postgres://root@127.0.0.1:5432/test',
      'postgresql://u:p%40ss@db.example/dcgrid?sslmode=require',
      'postgres://root@localhost',
      'postgresql:///dcgrid?host=/var/run/postgresql',
    ]) {
      expect(problemWith(url)).toBe('');
    }
  });

  it('refuses other databases and malformed URLs, naming the setting', () => {
    const cases: Array<[string, string]> = [
      ['mysql://root@127.0.0.1:3306/dcgrid', '"mysql://" is not PostgreSQL'],
      ['mariadb://root@127.0.0.1/dcgrid', '"mariadb://" is not PostgreSQL'],
      ['base', 'not a URL'],
      ['127.0.0.1:5432/test', 'not a URL'],
      ['postgres://root:p@ss:word@/test', 'not a valid URL'],
      ['postgres://root@[::1/test', 'not a valid URL'],
      ['postgres:///test', 'no host'],
      ['postgres://root@host/a/b', 'is not a database name'],
    ];
    for (const [url, expected] of cases) {
      const message = problemWith(url);
      expect(message, url).toContain('DATABASE_URL');
      expect(message, url).toContain(expected);
    }
  });
});

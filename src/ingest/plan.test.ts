import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { downloadNote } from './plan.js';

const FROM = Date.UTC(2024, 8, 2);
const TO = Date.UTC(2024, 8, 4);

describe('downloadNote', () => {
  it('says the publishers when no setting points elsewhere', () => {
    const config = loadConfig({}, { dotenv: false, cwd: '/tmp/x' });
    expect(downloadNote(config, FROM, TO)).toBe(
      'downloaded from the publishers 2024-09-02 to 2024-09-04 (cache: /tmp/x/.dcgrid/cache)',
    );
  });

  it('names each URL a setting puts in place of a publisher, and the setting', () => {
    const config = loadConfig(
      { EMBER_URL: 'http://mirror.example/', DASHBOARD_BASE_URL: 'https://proxy.example/sgd' },
      { dotenv: false, cwd: '/tmp/x' },
    );
    expect(downloadNote(config, FROM, TO)).toBe(
      'downloaded 2024-09-02 to 2024-09-04 (cache: /tmp/x/.dcgrid/cache), from the publishers except: ' +
        'dashboard from https://proxy.example/sgd (DASHBOARD_BASE_URL), ' +
        'ember from http://mirror.example/public-downloads/price/outputs/european_wholesale_electricity_price_data_hourly.zip (EMBER_URL)',
    );
  });
});

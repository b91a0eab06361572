import { resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../../../..');
export const artifactsDir = resolve(__dirname, '../../artifacts');
export const e2eConfig = resolve(__dirname, '../../app-config.e2e.yaml');
export const baseUrl = 'http://localhost:7017';

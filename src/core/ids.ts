import { randomUUID } from 'node:crypto';

/** A run id as MLflow makes them: uuid4 hex, 32 lowercase characters. */
export const newRunId = (): string => randomUUID().replaceAll('-', '');

/** A logged-model id: "m-" + uuid4 hex. */
export const newModelId = (): string => `m-${newRunId()}`;

const ADJECTIVES = [
  'able', 'bold', 'brave', 'bright', 'calm', 'clever', 'crisp', 'eager', 'fair', 'gentle',
  'glad', 'grand', 'keen', 'kind', 'lively', 'lucky', 'merry', 'neat', 'proud', 'quick',
  'quiet', 'rare', 'sharp', 'shy', 'silent', 'smooth', 'steady', 'sunny', 'swift', 'tidy', 'warm', 'wise',
];
const NOUNS = [
  'ant', 'bat', 'bear', 'bee', 'cat', 'crab', 'crow', 'deer', 'dove', 'duck', 'eel', 'elk',
  'fox', 'frog', 'gnu', 'hare', 'hawk', 'jay', 'lark', 'lynx', 'mole', 'moth', 'newt', 'owl',
  'ox', 'ram', 'seal', 'slug', 'swan', 'toad', 'wasp', 'wolf', 'wren', 'yak',
];

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/** A readable run name, `<adjective>-<noun>-<0..999>`, at most 20 characters like MLflow's. */
export const newRunName = (): string => `${pick(ADJECTIVES)}-${pick(NOUNS)}-${Math.floor(Math.random() * 1000)}`;

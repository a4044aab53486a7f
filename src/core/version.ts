/** cairn's version, as /version and `cairn --version` report it. */
export const CAIRN_VERSION = '0.1.0';

export { UID_RE, isUid } from './uid.js';

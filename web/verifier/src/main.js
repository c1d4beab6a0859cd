// fairdraw's own page: draw records, checked as `fairdraw verify` checks them.
import { start } from './page.js';

start();

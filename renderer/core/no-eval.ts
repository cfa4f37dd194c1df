import { z } from 'zod';

// The pages' CSP forbids eval; zod would probe for it (and Chromium would report a violation) to
// compile its parsers. Imported first by each page, so no schema is used before this is set.
z.config({ jitless: true });

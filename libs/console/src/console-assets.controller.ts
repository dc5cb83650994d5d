import { ApiExcludeController } from '@nestjs/swagger';
import { existsSync } from 'node:fs';
import { Public } from '@nazorg/http';
import { dirname, join, resolve } from 'node:path';
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { Response } from 'express';

/** The console's own stylesheet and script, found from the source tree or the built one. */
function consoleAssetsDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'libs/console/assets');
    if (existsSync(join(candidate, 'console.css'))) return candidate;
    if (existsSync(join(dir, 'assets/console.css'))) return join(dir, 'assets');
  }
  return resolve(process.cwd(), 'libs/console/assets');
}

/**
 * The console's scripts and styles, served by the ops app itself: htmx and Chart.js straight from
 * node_modules (no CDN, no network, no build step) and the console's small CSS and JS. A fixed
 * list, so no request can name another file.
 */
// Outside the API's Bearer guard: pages authenticate by the console's session cookie (ConsoleGuard).
@Public()
@ApiExcludeController() // pages, not API: the OpenAPI document lists the API only
@Controller('assets')
export class ConsoleAssetsController {
  private readonly files: Record<string, { path: string; type: string }>;

  constructor() {
    const own = consoleAssetsDir();
    this.files = {
      // Next to each package's entry point: their `exports` maps do not list these builds.
      'htmx.min.js': {
        path: join(dirname(require.resolve('htmx.org')), 'htmx.min.js'),
        type: 'text/javascript',
      },
      'chart.umd.js': {
        path: join(dirname(require.resolve('chart.js')), 'chart.umd.js'),
        type: 'text/javascript',
      },
      'console.js': { path: join(own, 'console.js'), type: 'text/javascript' },
      'console.css': { path: join(own, 'console.css'), type: 'text/css' },
    };
  }

  @Get(':file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    const asset = Object.hasOwn(this.files, file) ? this.files[file] : undefined;
    if (!asset) throw new NotFoundException();
    res.type(asset.type).setHeader('cache-control', 'public, max-age=300').sendFile(asset.path);
  }
}

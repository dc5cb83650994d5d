import { ApiExcludeController } from '@nestjs/swagger';
import { Body, Controller, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { Public } from '@nazorg/http';
import { Request, Response } from 'express';
import { AppConfig } from '@nazorg/config';
import { ConsoleGuard } from './console.guard';
import { ConsoleLoginFilter } from './console-login.filter';
import { sendHtml } from './console-response';
import { ConsoleSessionService } from './console-session.service';
import { page } from './views/layout.view';
import { loginView } from './views/login.view';

/** Logging in by pasting the ops API token; it becomes the session cookie. */
// Outside the API's Bearer guard: pages authenticate by the console's session cookie (ConsoleGuard).
@Public()
@ApiExcludeController() // pages, not API: the OpenAPI document lists the API only
@Controller()
export class ConsoleAuthController {
  private readonly demo: boolean;

  constructor(
    private readonly sessions: ConsoleSessionService,
    config: AppConfig,
  ) {
    this.demo = config.NAZORG_ENV !== 'production';
  }

  @Get()
  root(@Req() req: Request, @Res() res: Response): void {
    res.redirect(303, this.sessions.resolve(req) ? '/flows' : '/login');
  }

  @Get('login')
  loginPage(@Res() res: Response): void {
    sendHtml(res, page({ title: 'Log in', active: '', session: undefined }, loginView(null, this.demo)));
  }

  @Post('login')
  login(@Body() body: { token?: unknown }, @Res() res: Response): void {
    const token = typeof body?.token === 'string' ? body.token.trim() : '';
    if (!token || !this.sessions.open(token)) {
      sendHtml(
        res,
        page(
          { title: 'Log in', active: '', session: undefined },
          loginView('That token is not valid.', this.demo),
        ),
        401,
      );
      return;
    }
    this.sessions.start(res, token);
    res.redirect(303, '/flows');
  }

  @Post('logout')
  @UseGuards(ConsoleGuard)
  @UseFilters(ConsoleLoginFilter)
  logout(@Res() res: Response): void {
    this.sessions.end(res);
    res.redirect(303, '/login');
  }
}

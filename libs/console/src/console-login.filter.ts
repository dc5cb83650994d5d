import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  ForbiddenException,
  UnauthorizedException,
} from '@nestjs/common';
import { Request, Response } from 'express';
import { html } from './html';
import { page } from './views/layout.view';

/** Console pages answer a browser: to the login page without a session, a page for a bad form. */
@Catch(UnauthorizedException, ForbiddenException)
export class ConsoleLoginFilter implements ExceptionFilter {
  catch(exception: UnauthorizedException | ForbiddenException, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof UnauthorizedException) {
      // htmx follows HX-Redirect for fragment requests; a page load follows the 303.
      if (req.headers['hx-request']) res.status(401).setHeader('HX-Redirect', '/login').end();
      else res.redirect(303, '/login');
      return;
    }
    res
      .status(403)
      .type('html')
      .send(
        page(
          { title: 'Refused', active: '', session: undefined },
          html`<p class="error">${exception.message}</p>`,
        ).value,
      );
  }
}

'use strict'
// GET /?name=Ada -> "Hello, Ada!"; GET /health -> ok; GET /version -> {name, version, environment}.
// The environment comes from APP_ENVIRONMENT, which the deploy task sets per environment (values stay per environment).

const http = require('node:http')
const { greet, about } = require('./lib/greeting')

const port = Number(process.env.PORT || 3000)

const server = http.createServer((request, response) => {
  const url = new URL(request.url, 'http://localhost')
  if (url.pathname === '/health') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n')
  } else if (url.pathname === '/version') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(about(process.env.APP_ENVIRONMENT)) + '\n')
  } else if (url.pathname === '/') {
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(greet(url.searchParams.get('name')) + '\n')
  } else {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
  }
})

server.listen(port, '0.0.0.0', () => console.log(`train-app ${about().version} listening on ${port}`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))

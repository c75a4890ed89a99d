'use strict'
// What the app says. Kept apart from the server so the unit tests need no port.

const { version, name } = require('../package.json')

function greet (who) {
  const name = String(who || '').trim()
  return `Hello, ${name.length > 0 ? name : 'world'}!`
}

function about (environment) {
  return { name, version, environment: environment || 'unknown' }
}

module.exports = { greet, about }

'use strict'
const test = require('node:test')
const assert = require('node:assert')
const { greet, about } = require('../lib/greeting')

test('greet says hello to the name it is given', () => {
  assert.strictEqual(greet('Ada'), 'Hello, Ada!')
})

test('greet says hello to the world when no name is given', () => {
  assert.strictEqual(greet(''), 'Hello, world!')
  assert.strictEqual(greet(undefined), 'Hello, world!')
})

test('about names the package, its version and the environment', () => {
  const info = about('staging')
  assert.strictEqual(info.name, '@ferry-example/train-app')
  assert.match(info.version, /^\d+\.\d+\.\d+/)
  assert.strictEqual(info.environment, 'staging')
})

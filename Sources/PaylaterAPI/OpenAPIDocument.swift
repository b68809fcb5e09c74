/// The OpenAPI 3.1 document of the API, served at `GET /v1/openapi.json`. `OpenAPITests` keeps its paths and
/// methods equal to the router's routes; `scripts/api_fuzz` checks a running server against it with schemathesis.
public enum OpenAPIDocument {
    public static let json = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "Paylater API",
        "version": "1.0.0",
        "description": "Buy now, pay later: merchant checkout and orders, settlements and webhooks, shoppers' self-service. Money is `{\"amount\": <integer minor units>, \"currency\": \"CNY\"}`; instants are RFC 3339, dates ISO 8601; keys are snake_case. Errors are RFC 9457 problem documents (`application/problem+json`), except a path or headers too long for the HTTP library (414, 431), which it answers itself (see docs/API.md); an unknown path is 404 and a known path with another method 405 with `Allow`. Every POST and PUT needs an `Idempotency-Key`. See docs/API.md.",
        "license": {
          "name": "see the repository"
        }
      },
      "servers": [
        {
          "url": "/"
        }
      ],
      "tags": [
        {
          "name": "operations"
        },
        {
          "name": "merchant"
        },
        {
          "name": "shopper"
        }
      ],
      "security": [],
      "paths": {
        "/healthz": {
          "get": {
            "operationId": "health",
            "summary": "Liveness and database check",
            "tags": [
              "operations"
            ],
            "security": [],
            "responses": {
              "200": {
                "description": "Up, and the database answers.",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "status": {
                          "type": "string",
                          "enum": [
                            "ok"
                          ]
                        }
                      },
                      "required": [
                        "status"
                      ],
                      "additionalProperties": false
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/metrics": {
          "get": {
            "operationId": "metrics",
            "summary": "Prometheus metrics",
            "tags": [
              "operations"
            ],
            "security": [],
            "responses": {
              "200": {
                "description": "Prometheus text exposition format.",
                "content": {
                  "text/plain": {
                    "schema": {
                      "type": "string"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              }
            }
          }
        },
        "/v1/openapi.json": {
          "get": {
            "operationId": "openapi",
            "summary": "This OpenAPI document",
            "tags": [
              "operations"
            ],
            "security": [],
            "responses": {
              "200": {
                "description": "The OpenAPI 3.1 document.",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              }
            }
          }
        },
        "/v1/configuration": {
          "get": {
            "operationId": "getConfiguration",
            "summary": "Products offered and their limits",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "responses": {
              "200": {
                "description": "The jurisdiction, the time zone of every date in the API, and the products with their limits per currency.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Configuration"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/checkouts": {
          "post": {
            "operationId": "createCheckout",
            "summary": "Start a checkout and get the offers",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "$ref": "#/components/schemas/CheckoutInput"
                  }
                }
              }
            },
            "responses": {
              "201": {
                "description": "The checkout with a priced offer per eligible product.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Checkout"
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "415": {
                "$ref": "#/components/responses/UnsupportedMediaType"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/checkouts/{id}": {
          "get": {
            "operationId": "getCheckout",
            "summary": "A checkout",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/CheckoutId"
              }
            ],
            "responses": {
              "200": {
                "description": "The checkout.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Checkout"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/checkouts/{id}/cancel": {
          "post": {
            "operationId": "cancelCheckout",
            "summary": "Withdraw a checkout that is open or awaiting review",
            "description": "The checkout becomes cancelled for good: it cannot be authorized, and a referred one leaves the review queue. An authorized checkout's order is cancelled instead (POST /v1/orders/{id}/cancel); a declined one cannot be (409, checkout-state). Cancelling a cancelled checkout returns it.",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/CheckoutId"
              },
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "responses": {
              "200": {
                "description": "The cancelled checkout.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Checkout"
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/checkouts/{id}/authorize": {
          "post": {
            "operationId": "authorizeCheckout",
            "summary": "Ask for a credit decision on one of the checkout's offers",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/CheckoutId"
              },
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "$ref": "#/components/schemas/AuthorizationInput"
                  }
                }
              }
            },
            "responses": {
              "200": {
                "description": "The decision; on approval, the new order with its hold.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Authorization"
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "415": {
                "$ref": "#/components/responses/UnsupportedMediaType"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/orders/{id}": {
          "get": {
            "operationId": "getOrder",
            "summary": "An order",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/OrderId"
              }
            ],
            "responses": {
              "200": {
                "description": "The order.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Order"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/orders/{id}/captures": {
          "post": {
            "operationId": "captureOrder",
            "summary": "Capture all or part of the authorization (each capture makes a plan)",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/OrderId"
              },
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "amount": {
                        "oneOf": [
                          {
                            "$ref": "#/components/schemas/MoneyInput"
                          },
                          {
                            "type": "null"
                          }
                        ],
                        "description": "Default: all that remains authorized. A partial capture may be below the product's minimum, but its plan needs at least one minor unit per installment and must stay within the APR cap (422 `order-amount` on `/amount` otherwise, naming the smallest capture or the APR and the cap)."
                      },
                      "capture_id": {
                        "oneOf": [
                          {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 64
                          },
                          {
                            "type": "null"
                          }
                        ],
                        "description": "Default: the Idempotency-Key. An id already used on the order returns the order again for the same amount (a retry); with another amount it is refused, 422 `idempotency-mismatch` on `/capture_id`, and nothing changes."
                      }
                    },
                    "additionalProperties": false
                  }
                }
              }
            },
            "responses": {
              "201": {
                "description": "The order after the capture.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Order"
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "415": {
                "$ref": "#/components/responses/UnsupportedMediaType"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/orders/{id}/refunds": {
          "post": {
            "operationId": "refundOrder",
            "summary": "Refund part or all of what was captured",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/OrderId"
              },
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "amount": {
                        "$ref": "#/components/schemas/MoneyInput"
                      },
                      "refund_id": {
                        "oneOf": [
                          {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 64
                          },
                          {
                            "type": "null"
                          }
                        ],
                        "description": "Default: the Idempotency-Key. An id already used on the order returns the order again for the same amount (a retry); with another amount it is refused, 422 `idempotency-mismatch` on `/refund_id`, and nothing changes."
                      }
                    },
                    "required": [
                      "amount"
                    ],
                    "additionalProperties": false
                  }
                }
              }
            },
            "responses": {
              "201": {
                "description": "The order after the refund.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Order"
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "415": {
                "$ref": "#/components/responses/UnsupportedMediaType"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/orders/{id}/cancel": {
          "post": {
            "operationId": "cancelOrder",
            "summary": "Cancel an order before any capture",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/OrderId"
              },
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "responses": {
              "200": {
                "description": "The cancelled order.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Order"
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/orders/{id}/release-remaining-authorization": {
          "post": {
            "operationId": "releaseRemainingAuthorization",
            "summary": "Release what remains authorized after captures",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/OrderId"
              },
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "responses": {
              "200": {
                "description": "The order.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Order"
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/orders/{id}/extend-authorization": {
          "post": {
            "operationId": "extendAuthorization",
            "summary": "Extend the authorization's expiry",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/OrderId"
              },
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "days": {
                        "type": "integer",
                        "format": "int64",
                        "minimum": 1,
                        "maximum": 60,
                        "description": "Days added to the expiry. An authorization lasts at most 60 days from its start: past that is 422 validation with field /days, saying how many days are left."
                      }
                    },
                    "required": [
                      "days"
                    ],
                    "additionalProperties": false
                  }
                }
              }
            },
            "responses": {
              "200": {
                "description": "The order with its new expiry.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Order"
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "415": {
                "$ref": "#/components/responses/UnsupportedMediaType"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/balance": {
          "get": {
            "operationId": "getBalance",
            "summary": "Where the merchant stands with the platform now, per currency: the payable and the latest settlement",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "responses": {
              "200": {
                "description": "One entry per currency the merchant has a payable in (made by its first capture), by currency code; none before any capture.",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "balances": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/MerchantBalance"
                          }
                        }
                      },
                      "required": [
                        "balances"
                      ],
                      "additionalProperties": false
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/settlements": {
          "get": {
            "operationId": "listSettlements",
            "summary": "The merchant's latest settlements (at most 100)",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "responses": {
              "200": {
                "description": "Settlements, newest first.",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "settlements": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Settlement"
                          }
                        }
                      },
                      "required": [
                        "settlements"
                      ],
                      "additionalProperties": false
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            },
            "parameters": [
              {
                "name": "limit",
                "in": "query",
                "required": false,
                "description": "How many settlements, 1 to 100; 100 when not given.",
                "schema": {
                  "type": "integer",
                  "minimum": 1,
                  "maximum": 100
                }
              },
              {
                "name": "before",
                "in": "query",
                "required": false,
                "description": "Page on: only the settlements listed after this one (the last id of the previous page). An id that names no settlement of the caller is 422 on `before`.",
                "schema": {
                  "type": "string",
                  "minLength": 1
                }
              }
            ]
          }
        },
        "/v1/settlements/{id}": {
          "get": {
            "operationId": "getSettlement",
            "summary": "One settlement with its lines, each matched to the merchant's order, capture or refund",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/SettlementId"
              }
            ],
            "responses": {
              "200": {
                "description": "The settlement, with `line_items`.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Settlement"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/settlements/{id}/report.csv": {
          "get": {
            "operationId": "settlementReport",
            "summary": "A settlement's line report as CSV",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/SettlementId"
              }
            ],
            "responses": {
              "200": {
                "description": "The report.",
                "content": {
                  "text/csv": {
                    "schema": {
                      "type": "string"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/webhooks/endpoints": {
          "get": {
            "operationId": "listWebhookEndpoints",
            "summary": "The merchant's webhook endpoints (without their secrets)",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "responses": {
              "200": {
                "description": "Endpoints, oldest first.",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "endpoints": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/WebhookEndpoint"
                          }
                        }
                      },
                      "required": [
                        "endpoints"
                      ],
                      "additionalProperties": false
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          },
          "post": {
            "operationId": "registerWebhookEndpoint",
            "summary": "Register a webhook endpoint",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "url": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 2048,
                        "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[!-\"$-.0-9;->A-~][!-.0-?A-~]*([/?#][!-~]*)?$",
                        "description": "An http or https URL of visible ASCII naming a host (written plainly, not percent-encoded) and, if any, a port from 1 to 65535, without credentials; at most 2048 bytes. Anything else is 422 webhook with field /url."
                      }
                    },
                    "required": [
                      "url"
                    ],
                    "additionalProperties": false
                  }
                }
              }
            },
            "responses": {
              "201": {
                "description": "The endpoint and its signing secret (shown once). See docs/WEBHOOKS.md.",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "id": {
                          "type": "string"
                        },
                        "url": {
                          "type": "string"
                        },
                        "secret": {
                          "type": "string"
                        }
                      },
                      "required": [
                        "id",
                        "url",
                        "secret"
                      ],
                      "additionalProperties": false
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "415": {
                "$ref": "#/components/responses/UnsupportedMediaType"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/webhooks/endpoints/{id}": {
          "delete": {
            "operationId": "deactivateWebhookEndpoint",
            "summary": "Stop sending events to an endpoint (for good; register again to resume)",
            "description": "Idempotent: deactivating an endpoint already inactive answers the same. Its delivery log stays readable; deliveries still pending to it are no longer tried. An inactive endpoint does not count toward the 16 a merchant may have. No Idempotency-Key is needed.",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "parameters": [
              {
                "name": "id",
                "in": "path",
                "required": true,
                "description": "The endpoint id.",
                "schema": {
                  "type": "string",
                  "minLength": 1
                }
              }
            ],
            "responses": {
              "200": {
                "description": "The endpoint, now inactive.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/WebhookEndpoint"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/webhooks/events": {
          "get": {
            "operationId": "listWebhookEvents",
            "summary": "The merchant's webhook events, newest first, each with its deliveries",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "parameters": [
              {
                "name": "order_id",
                "in": "query",
                "required": false,
                "description": "Only this order's events.",
                "schema": {
                  "type": "string",
                  "minLength": 1
                }
              },
              {
                "name": "limit",
                "in": "query",
                "required": false,
                "description": "How many events, 1 to 100; 20 when not given.",
                "schema": {
                  "type": "integer",
                  "minimum": 1,
                  "maximum": 100
                }
              },
              {
                "name": "before",
                "in": "query",
                "required": false,
                "description": "Page on: only the events listed after this one (the last id of the previous page). An id that names no event of the caller is 422 on `before`.",
                "schema": {
                  "type": "string",
                  "minLength": 1
                }
              }
            ],
            "responses": {
              "200": {
                "description": "Events, newest first.",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "events": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/WebhookEventSummary"
                          }
                        }
                      },
                      "required": [
                        "events"
                      ],
                      "additionalProperties": false
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/webhooks/events/{id}": {
          "get": {
            "operationId": "getWebhookEvent",
            "summary": "One webhook event: the exact body its deliveries carry, and each delivery's log of attempts",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/EventId"
              }
            ],
            "responses": {
              "200": {
                "description": "The event and its delivery log.",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "event": {
                          "type": "object",
                          "description": "The body every delivery of this event sends (see docs/WEBHOOKS.md).",
                          "properties": {
                            "id": {
                              "type": "string"
                            },
                            "type": {
                              "$ref": "#/components/schemas/WebhookEventType"
                            },
                            "created_at": {
                              "$ref": "#/components/schemas/Instant"
                            },
                            "order_id": {
                              "type": "string"
                            },
                            "sequence": {
                              "type": "integer",
                              "minimum": 1
                            },
                            "data": {
                              "type": "object"
                            }
                          },
                          "required": [
                            "id",
                            "type",
                            "created_at",
                            "order_id",
                            "sequence",
                            "data"
                          ],
                          "additionalProperties": false
                        },
                        "deliveries": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/WebhookDeliveryWithLog"
                          }
                        }
                      },
                      "required": [
                        "event",
                        "deliveries"
                      ],
                      "additionalProperties": false
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/webhooks/{id}/replay": {
          "post": {
            "operationId": "replayWebhookEvent",
            "summary": "Deliver an event again to every active endpoint",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/EventId"
              },
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "responses": {
              "202": {
                "description": "The deliveries queued.",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "event_id": {
                          "type": "string"
                        },
                        "deliveries": {
                          "type": "array",
                          "items": {
                            "type": "object",
                            "properties": {
                              "endpoint_id": {
                                "type": "string"
                              },
                              "generation": {
                                "type": "integer"
                              }
                            },
                            "required": [
                              "endpoint_id",
                              "generation"
                            ],
                            "additionalProperties": false
                          }
                        }
                      },
                      "required": [
                        "event_id",
                        "deliveries"
                      ],
                      "additionalProperties": false
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/me/plans": {
          "get": {
            "operationId": "listMyPlans",
            "summary": "The shopper's plans",
            "tags": [
              "shopper"
            ],
            "security": [
              {
                "shopperToken": []
              }
            ],
            "responses": {
              "200": {
                "description": "Plans.",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "plans": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Plan"
                          }
                        }
                      },
                      "required": [
                        "plans"
                      ],
                      "additionalProperties": false
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/me/checkouts/{id}": {
          "get": {
            "operationId": "getMyCheckout",
            "summary": "A checkout the shopper is to confirm, with every offer's schedule, cost and APR",
            "description": "Only checkouts of a merchant whose checkouts are confirmed by the shopper, and only the shopper's own; any other is 404.",
            "tags": [
              "shopper"
            ],
            "security": [
              {
                "shopperToken": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/CheckoutId"
              }
            ],
            "responses": {
              "200": {
                "description": "The checkout.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Checkout"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/me/checkouts/{id}/confirm": {
          "post": {
            "operationId": "confirmMyCheckout",
            "summary": "The shopper confirms a checkout for the product they chose",
            "description": "From then on the merchant may authorize it for that product only. Once per checkout: the same product again returns it; another product is 409 shopper-confirmation; a checkout decided or cancelled is 409 checkout-state.",
            "tags": [
              "shopper"
            ],
            "security": [
              {
                "shopperToken": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/CheckoutId"
              },
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "product_id": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 64
                      }
                    },
                    "required": [
                      "product_id"
                    ],
                    "additionalProperties": false
                  }
                }
              }
            },
            "responses": {
              "200": {
                "description": "The confirmed checkout.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Checkout"
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "415": {
                "$ref": "#/components/responses/UnsupportedMediaType"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/me/decisions": {
          "get": {
            "operationId": "listMyDecisions",
            "summary": "The shopper's credit decisions, newest first, with the reasons as the shopper is told them",
            "tags": [
              "shopper"
            ],
            "security": [
              {
                "shopperToken": []
              }
            ],
            "parameters": [
              {
                "name": "limit",
                "in": "query",
                "required": false,
                "description": "How many of the latest decisions, 1 to 100; 20 when not given.",
                "schema": {
                  "type": "integer",
                  "minimum": 1,
                  "maximum": 100
                }
              }
            ],
            "responses": {
              "200": {
                "description": "Decisions, newest first.",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "decisions": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/ShopperDecision"
                          }
                        }
                      },
                      "required": [
                        "decisions"
                      ],
                      "additionalProperties": false
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/me/payments": {
          "post": {
            "operationId": "pay",
            "summary": "Pay toward a plan, or pay it off",
            "tags": [
              "shopper"
            ],
            "security": [
              {
                "shopperToken": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "plan_id": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 64
                      },
                      "amount": {
                        "oneOf": [
                          {
                            "$ref": "#/components/schemas/MoneyInput"
                          },
                          {
                            "type": "null"
                          }
                        ]
                      },
                      "pay_off": {
                        "type": [
                          "boolean",
                          "null"
                        ]
                      }
                    },
                    "required": [
                      "plan_id"
                    ],
                    "additionalProperties": false,
                    "description": "Give `amount` to pay that much, or `pay_off: true` to pay the plan off today at today's payoff quote (GET /v1/me/plans/{id}/payoff-quote): unearned fees and interest are rebated. With `pay_off`, an `amount` is the quote the shopper saw, and is refused (422, field /amount) unless it is still today's. An amount may exceed what the plan owes by at most as much again (the excess is kept as the shopper's credit balance); a larger one is refused, 422 `validation` on `/amount`."
                  }
                }
              }
            },
            "responses": {
              "201": {
                "description": "What the payment did; a payoff's answer adds `rebate` and `fees_returned`. The Idempotency-Key is the operation id.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/PaymentReceipt"
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "415": {
                "$ref": "#/components/responses/UnsupportedMediaType"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/me/plans/{id}/payoff-quote": {
          "get": {
            "operationId": "payoffQuote",
            "summary": "What paying the plan off today takes",
            "tags": [
              "shopper"
            ],
            "security": [
              {
                "shopperToken": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/PlanId"
              }
            ],
            "responses": {
              "200": {
                "description": "Today's payoff quote under the plan's rebate rule; `POST /v1/me/payments` with `pay_off: true` pays it.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/PayoffQuote"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/me/plans/{id}/extend": {
          "post": {
            "operationId": "extendDueDate",
            "summary": "Move the due date of one installment still owed (once per plan)",
            "tags": [
              "shopper"
            ],
            "security": [
              {
                "shopperToken": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/PlanId"
              },
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "installment": {
                        "type": "integer",
                        "format": "int64",
                        "minimum": 1,
                        "maximum": 120
                      },
                      "days": {
                        "type": "integer",
                        "format": "int64",
                        "minimum": 1,
                        "maximum": 10
                      }
                    },
                    "required": [
                      "installment",
                      "days"
                    ],
                    "additionalProperties": false
                  }
                }
              }
            },
            "responses": {
              "201": {
                "description": "The extension.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/ExtensionReceipt"
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "415": {
                "$ref": "#/components/responses/UnsupportedMediaType"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/me/orders/{id}/report-return": {
          "post": {
            "operationId": "reportReturn",
            "summary": "Report a return: the order's open plans pause",
            "tags": [
              "shopper"
            ],
            "security": [
              {
                "shopperToken": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/OrderId"
              },
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "responses": {
              "201": {
                "description": "The order, and how many of its plans were paused (an integer; 0 when every plan was already paused or closed).",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "order_id": {
                          "type": "string"
                        },
                        "paused_plans": {
                          "type": "integer",
                          "minimum": 0
                        }
                      },
                      "required": [
                        "order_id",
                        "paused_plans"
                      ],
                      "additionalProperties": false
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/me/credit-balance": {
          "get": {
            "operationId": "getCreditBalance",
            "summary": "The shopper's credit balance (overpayments and refunds of money they had paid), per currency",
            "tags": [
              "shopper"
            ],
            "security": [
              {
                "shopperToken": []
              }
            ],
            "responses": {
              "200": {
                "description": "One amount per currency the shopper has a credit balance in (zero included).",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "balances": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Money"
                          }
                        }
                      },
                      "required": [
                        "balances"
                      ],
                      "additionalProperties": false
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/me/credit-balance/payouts": {
          "post": {
            "operationId": "payOutCreditBalance",
            "summary": "Pay (part of) the shopper's credit balance back out to them",
            "tags": [
              "shopper"
            ],
            "security": [
              {
                "shopperToken": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "amount": {
                        "$ref": "#/components/schemas/MoneyInput"
                      }
                    },
                    "required": [
                      "amount"
                    ],
                    "additionalProperties": false
                  }
                }
              }
            },
            "responses": {
              "201": {
                "description": "The payout and the balance left. The Idempotency-Key is the operation id.",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "operation_id": {
                          "type": "string"
                        },
                        "amount": {
                          "$ref": "#/components/schemas/Money"
                        },
                        "balance": {
                          "$ref": "#/components/schemas/Money"
                        }
                      },
                      "required": [
                        "operation_id",
                        "amount",
                        "balance"
                      ],
                      "additionalProperties": false
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "415": {
                "$ref": "#/components/responses/UnsupportedMediaType"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/me/spending-cap": {
          "get": {
            "operationId": "getSpendingCap",
            "summary": "The shopper's own spending cap",
            "tags": [
              "shopper"
            ],
            "security": [
              {
                "shopperToken": []
              }
            ],
            "responses": {
              "200": {
                "description": "The cap, if any.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/SpendingCap"
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          },
          "put": {
            "operationId": "setSpendingCap",
            "summary": "Set or clear the shopper's own spending cap",
            "tags": [
              "shopper"
            ],
            "security": [
              {
                "shopperToken": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "spending_cap": {
                        "oneOf": [
                          {
                            "$ref": "#/components/schemas/MoneyInput"
                          },
                          {
                            "type": "null"
                          }
                        ],
                        "description": "Absent or null clears the cap. A cap in another currency than the shopper's credit line (or, before the first one, than one the platform lends in, that is keeps funding capacity in) is refused with a 422 `spending-cap-currency`."
                      }
                    },
                    "additionalProperties": false
                  }
                }
              }
            },
            "responses": {
              "200": {
                "description": "The cap now.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/SpendingCap"
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "415": {
                "$ref": "#/components/responses/UnsupportedMediaType"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/me/statements/{due_date}/payments": {
          "post": {
            "operationId": "payStatement",
            "summary": "Pay a monthly bill statement (oldest purchase first)",
            "tags": [
              "shopper"
            ],
            "security": [
              {
                "shopperToken": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/StatementDueDate"
              },
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "amount": {
                        "$ref": "#/components/schemas/Money"
                      },
                      "product_id": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 64
                      }
                    },
                    "required": [
                      "amount"
                    ],
                    "additionalProperties": false,
                    "description": "The amount may exceed what the statement owes by at most as much again (the excess is kept as the shopper's credit balance); a larger one is refused, 422 `validation` on `/amount`."
                  }
                }
              }
            },
            "responses": {
              "201": {
                "description": "The statement payment: one plan payment per purchase paid.",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "description": "The statement payment: one plan payment per purchase paid."
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "415": {
                "$ref": "#/components/responses/UnsupportedMediaType"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/me/statements/{due_date}/split": {
          "post": {
            "operationId": "splitStatement",
            "summary": "Split a monthly bill statement into monthly installments",
            "tags": [
              "shopper"
            ],
            "security": [
              {
                "shopperToken": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/StatementDueDate"
              },
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "months": {
                        "$ref": "#/components/schemas/SplitMonths"
                      },
                      "product_id": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 64
                      },
                      "currency": {
                        "type": "string",
                        "pattern": "^[A-Z]{3}$",
                        "description": "The statement's currency, when statements in several currencies fall due on the date"
                      }
                    },
                    "required": [
                      "months"
                    ],
                    "additionalProperties": false
                  }
                }
              }
            },
            "responses": {
              "201": {
                "description": "The split: one installment plan per purchase.",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "description": "The split: one installment plan per purchase."
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "415": {
                "$ref": "#/components/responses/UnsupportedMediaType"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/me/plans/{id}/split": {
          "post": {
            "operationId": "splitPurchase",
            "summary": "Split one monthly-bill purchase into monthly installments",
            "tags": [
              "shopper"
            ],
            "security": [
              {
                "shopperToken": []
              }
            ],
            "parameters": [
              {
                "name": "id",
                "in": "path",
                "required": true,
                "description": "The purchase's plan id.",
                "schema": {
                  "type": "string",
                  "minLength": 1
                }
              },
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "months": {
                        "$ref": "#/components/schemas/SplitMonths"
                      }
                    },
                    "required": [
                      "months"
                    ],
                    "additionalProperties": false
                  }
                }
              }
            },
            "responses": {
              "201": {
                "description": "The split purchase and its installments.",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "description": "The split purchase and its installments."
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "415": {
                "$ref": "#/components/responses/UnsupportedMediaType"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/me/statements": {
          "get": {
            "operationId": "listStatements",
            "summary": "The shopper's open monthly bill statements, newest due date first",
            "tags": [
              "shopper"
            ],
            "security": [
              {
                "shopperToken": []
              }
            ],
            "responses": {
              "200": {
                "description": "Open statements.",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "statements": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Statement"
                          }
                        }
                      },
                      "required": [
                        "statements"
                      ]
                    }
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/MalformedRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        },
        "/v1/orders/{id}/delivery": {
          "post": {
            "operationId": "confirmDelivery",
            "summary": "Confirm delivery: a try-then-pay plan is then due that many days after the delivery date, never less than a week (or the window, when shorter) after the confirmation unless it was due sooner",
            "tags": [
              "merchant"
            ],
            "security": [
              {
                "merchantKey": []
              }
            ],
            "parameters": [
              {
                "$ref": "#/components/parameters/OrderId"
              },
              {
                "$ref": "#/components/parameters/IdempotencyKey"
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "delivered_on": {
                        "type": "string",
                        "format": "date",
                        "minLength": 10,
                        "maxLength": 10
                      }
                    },
                    "required": [
                      "delivered_on"
                    ],
                    "additionalProperties": false
                  }
                }
              }
            },
            "responses": {
              "200": {
                "description": "The order with its delivery recorded.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Order"
                    }
                  }
                },
                "headers": {
                  "Idempotent-Replayed": {
                    "$ref": "#/components/headers/IdempotentReplayed"
                  }
                }
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "404": {
                "$ref": "#/components/responses/NotFound"
              },
              "409": {
                "$ref": "#/components/responses/Conflict"
              },
              "413": {
                "$ref": "#/components/responses/PayloadTooLarge"
              },
              "415": {
                "$ref": "#/components/responses/UnsupportedMediaType"
              },
              "422": {
                "$ref": "#/components/responses/Unprocessable"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          }
        }
      },
      "components": {
        "securitySchemes": {
          "merchantKey": {
            "type": "http",
            "scheme": "bearer",
            "description": "A merchant API key (`plk_...`) from `paylater merchant create`. The scheme is read in any case; Authorization given twice is 400."
          },
          "shopperToken": {
            "type": "http",
            "scheme": "bearer",
            "description": "A shopper token (`pct_...`) from the identity provider (`paylater consumer token` in development). The scheme is read in any case; Authorization given twice is 400."
          }
        },
        "parameters": {
          "IdempotencyKey": {
            "name": "Idempotency-Key",
            "in": "header",
            "required": true,
            "description": "Required on every POST and PUT: 1 to 255 visible ASCII characters, unique per operation, given once (twice is 400 malformed-request). A retry with the same key and body replays the stored response (with `Idempotent-Replayed: true`); the same key with another body or path is 422. Where an operation id is derived from it (captures and refunds without their own id, shopper operations), it must be 1 to 64 letters, digits or . _ - (422 validation with field Idempotency-Key otherwise).",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 64,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          "CheckoutId": {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "The checkout id.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          "OrderId": {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "The order id.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          "SettlementId": {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "The settlement id.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          "EventId": {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "The event id.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          "PlanId": {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "The plan id.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          "StatementDueDate": {
            "name": "due_date",
            "in": "path",
            "required": true,
            "description": "The statement's due date; one that is not a date is 422 (validation, field due_date), a date with no statement 404.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "description": "YYYY-MM-DD"
            }
          }
        },
        "schemas": {
          "Money": {
            "type": "object",
            "properties": {
              "amount": {
                "type": "integer",
                "format": "int64",
                "description": "Minor units (fen for CNY); never a decimal."
              },
              "currency": {
                "type": "string",
                "pattern": "^[A-Z]{3}$",
                "description": "ISO 4217 code"
              }
            },
            "required": [
              "amount",
              "currency"
            ],
            "additionalProperties": false,
            "description": "An amount of money in minor units of a currency."
          },
          "MoneyInput": {
            "type": "object",
            "properties": {
              "amount": {
                "type": "integer",
                "format": "int64",
                "description": "Minor units (fen for CNY)."
              },
              "currency": {
                "type": "string",
                "minLength": 1,
                "maxLength": 3,
                "description": "ISO 4217 code known to the platform (422 otherwise)."
              }
            },
            "required": [
              "amount",
              "currency"
            ],
            "additionalProperties": false,
            "description": "An amount in a request: minor units of an ISO 4217 currency."
          },
          "Problem": {
            "type": "object",
            "description": "RFC 9457 problem document; more members may follow (such as position, difference).",
            "required": [
              "type",
              "title",
              "status"
            ],
            "properties": {
              "type": {
                "type": "string",
                "format": "uri",
                "description": "Stable per kind of error; starts with https://paylater.dev/problems/",
                "enum": [
                  "https://paylater.dev/problems/malformed-json",
                  "https://paylater.dev/problems/invalid-utf8",
                  "https://paylater.dev/problems/malformed-request",
                  "https://paylater.dev/problems/idempotency-key-required",
                  "https://paylater.dev/problems/unauthorized",
                  "https://paylater.dev/problems/not-found",
                  "https://paylater.dev/problems/method-not-allowed",
                  "https://paylater.dev/problems/idempotency-in-flight",
                  "https://paylater.dev/problems/conflict",
                  "https://paylater.dev/problems/order-state",
                  "https://paylater.dev/problems/checkout-decided",
                  "https://paylater.dev/problems/checkout-state",
                  "https://paylater.dev/problems/shopper-confirmation",
                  "https://paylater.dev/problems/credit-unavailable",
                  "https://paylater.dev/problems/ledger-rejected",
                  "https://paylater.dev/problems/ambiguous-statement",
                  "https://paylater.dev/problems/body-too-large",
                  "https://paylater.dev/problems/unsupported-media-type",
                  "https://paylater.dev/problems/validation",
                  "https://paylater.dev/problems/idempotency-mismatch",
                  "https://paylater.dev/problems/total-mismatch",
                  "https://paylater.dev/problems/no-product",
                  "https://paylater.dev/problems/product-not-offered",
                  "https://paylater.dev/problems/order-amount",
                  "https://paylater.dev/problems/plan-rule",
                  "https://paylater.dev/problems/statement-rule",
                  "https://paylater.dev/problems/underwriting",
                  "https://paylater.dev/problems/spending-cap-currency",
                  "https://paylater.dev/problems/credit-balance",
                  "https://paylater.dev/problems/delivery",
                  "https://paylater.dev/problems/settlement",
                  "https://paylater.dev/problems/webhook",
                  "https://paylater.dev/problems/rate-limited",
                  "https://paylater.dev/problems/internal",
                  "https://paylater.dev/problems/unavailable"
                ]
              },
              "title": {
                "type": "string"
              },
              "status": {
                "type": "integer",
                "minimum": 400,
                "maximum": 599
              },
              "detail": {
                "type": "string"
              },
              "field": {
                "type": "string",
                "description": "JSON pointer into the body (such as /lines/0/unit_price), or the name of the header or path parameter at fault, or body or path when the body or the path as a whole cannot be read (invalid-utf8)"
              }
            },
            "additionalProperties": true
          },
          "Instant": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339 instant"
          },
          "NullableInstant": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time",
            "description": "RFC 3339 instant, or null"
          },
          "Date": {
            "type": "string",
            "format": "date",
            "description": "ISO 8601 date"
          },
          "NullableString": {
            "oneOf": [
              {
                "type": "string"
              },
              {
                "type": "null"
              }
            ]
          },
          "SplitMonths": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "maximum": 36,
            "description": "3, 6 or 12, as the product offers"
          },
          "CheckoutLine": {
            "type": "object",
            "properties": {
              "name": {
                "type": "string",
                "minLength": 1,
                "maxLength": 200
              },
              "quantity": {
                "type": "integer",
                "format": "int64",
                "minimum": 1,
                "maximum": 1000000
              },
              "unit_price": {
                "$ref": "#/components/schemas/Money"
              },
              "tax_rate_bp": {
                "type": "integer",
                "format": "int64",
                "minimum": 0,
                "maximum": 10000
              }
            },
            "required": [
              "name",
              "quantity",
              "unit_price",
              "tax_rate_bp"
            ],
            "additionalProperties": false
          },
          "CheckoutLineInput": {
            "type": "object",
            "properties": {
              "name": {
                "type": "string",
                "minLength": 1,
                "maxLength": 200,
                "description": "At most 200 UTF-8 bytes."
              },
              "quantity": {
                "type": "integer",
                "format": "int64",
                "minimum": 1,
                "maximum": 1000000
              },
              "unit_price": {
                "$ref": "#/components/schemas/MoneyInput"
              },
              "tax_rate_bp": {
                "oneOf": [
                  {
                    "type": "integer",
                    "format": "int64",
                    "minimum": 0,
                    "maximum": 10000
                  },
                  {
                    "type": "null"
                  }
                ],
                "description": "Tax included in the unit price, in basis points (default 0)."
              }
            },
            "required": [
              "name",
              "quantity",
              "unit_price"
            ],
            "additionalProperties": false,
            "description": "The unit price includes tax."
          },
          "CheckoutInput": {
            "type": "object",
            "properties": {
              "lines": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/CheckoutLineInput"
                },
                "minItems": 1,
                "maxItems": 200
              },
              "total": {
                "$ref": "#/components/schemas/MoneyInput"
              },
              "merchant_reference": {
                "type": "string",
                "minLength": 1,
                "maxLength": 128,
                "description": "The merchant's own order reference; at most 128 UTF-8 bytes."
              },
              "shopper_reference": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "pattern": "^[A-Za-z0-9._/-]+$",
                "description": "The shopper's consumer id: 1 to 64 letters, digits or . _ - /"
              }
            },
            "required": [
              "lines",
              "total",
              "merchant_reference",
              "shopper_reference"
            ],
            "additionalProperties": false,
            "description": "The total must be positive and equal the sum of quantity × unit price."
          },
          "InstallmentOffer": {
            "type": "object",
            "properties": {
              "number": {
                "type": "integer"
              },
              "due_date": {
                "type": "string",
                "format": "date",
                "description": "ISO 8601 date. For try_then_pay, the best case: the date if delivery is confirmed on the day of checkout; the plan's date is set from the capture and the delivery (docs/API.md)."
              },
              "amount": {
                "$ref": "#/components/schemas/Money"
              }
            },
            "required": [
              "number",
              "due_date",
              "amount"
            ],
            "additionalProperties": false
          },
          "ProductOffer": {
            "type": "object",
            "properties": {
              "product_id": {
                "type": "string"
              },
              "kind": {
                "type": "string"
              },
              "installments": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/InstallmentOffer"
                }
              },
              "total_cost": {
                "$ref": "#/components/schemas/Money"
              },
              "total_payable": {
                "$ref": "#/components/schemas/Money"
              },
              "apr_percent": {
                "type": "object",
                "additionalProperties": {
                  "type": "string"
                },
                "description": "APR in percent with 4 decimals, by method (us-regz, eu, cn-irr)."
              },
              "promotion": {
                "type": "object",
                "description": "The merchant-funded promotion applied to this offer: the shopper's schedule, cost and APR above already reflect it."
              }
            },
            "required": [
              "product_id",
              "kind",
              "installments",
              "total_cost",
              "total_payable",
              "apr_percent"
            ],
            "additionalProperties": false
          },
          "Checkout": {
            "type": "object",
            "properties": {
              "id": {
                "type": "string"
              },
              "merchant_id": {
                "type": "string"
              },
              "consumer_id": {
                "type": "string"
              },
              "merchant_reference": {
                "type": "string"
              },
              "lines": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/CheckoutLine"
                }
              },
              "total": {
                "$ref": "#/components/schemas/Money"
              },
              "created_at": {
                "$ref": "#/components/schemas/Instant"
              },
              "offers": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/ProductOffer"
                }
              },
              "state": {
                "type": "string",
                "enum": [
                  "open",
                  "authorized",
                  "declined",
                  "referred",
                  "cancelled",
                  "expired"
                ]
              },
              "expires_at": {
                "$ref": "#/components/schemas/Instant",
                "description": "While the checkout is open: when it can no longer be authorized (48 hours after it was made unless the server says otherwise); then it reads expired."
              },
              "order_id": {
                "type": "string",
                "description": "The order an approval made."
              },
              "reasons": {
                "type": "array",
                "items": {
                  "type": "string"
                }
              },
              "referral_expires_at": {
                "$ref": "#/components/schemas/Instant",
                "description": "While the checkout is referred: when it is declined unless a person reviews it first."
              },
              "merchant_name": {
                "type": "string",
                "description": "Only in the shopper's own view (GET /v1/me/checkouts/{id}): whom they are confirming a purchase from."
              },
              "shopper_confirmation": {
                "type": "object",
                "description": "Present when the shopper confirms this checkout before it can be authorized: empty until they do, then the product they chose and when.",
                "properties": {
                  "product_id": {
                    "type": "string"
                  },
                  "confirmed_at": {
                    "$ref": "#/components/schemas/Instant"
                  }
                },
                "additionalProperties": false
              }
            },
            "required": [
              "id",
              "merchant_id",
              "consumer_id",
              "merchant_reference",
              "lines",
              "total",
              "created_at",
              "offers",
              "state",
              "reasons"
            ],
            "additionalProperties": false
          },
          "AuthorizationInput": {
            "type": "object",
            "properties": {
              "product_id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "One of the checkout's offers."
              },
              "device_id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 256
              },
              "shipping_address": {
                "type": "string",
                "minLength": 1,
                "maxLength": 1024
              },
              "payment_instrument": {
                "type": "string",
                "minLength": 1,
                "maxLength": 256
              },
              "age_years": {
                "type": "integer",
                "format": "int64",
                "minimum": 0,
                "maximum": 150
              },
              "identity_verified": {
                "type": "boolean"
              },
              "declared_monthly_income": {
                "description": "In the order's currency (422 validation at /declared_monthly_income/currency otherwise).",
                "oneOf": [
                  {
                    "$ref": "#/components/schemas/MoneyInput"
                  },
                  {
                    "type": "null"
                  }
                ]
              },
              "distance_from_usual_address_km": {
                "oneOf": [
                  {
                    "type": "integer",
                    "format": "int64",
                    "minimum": 0,
                    "maximum": 40075
                  },
                  {
                    "type": "null"
                  }
                ]
              },
              "features": {
                "oneOf": [
                  {
                    "type": "object",
                    "maxProperties": 200,
                    "propertyNames": {
                      "minLength": 1,
                      "maxLength": 64
                    },
                    "additionalProperties": {
                      "oneOf": [
                        {
                          "type": "number"
                        },
                        {
                          "type": "string",
                          "minLength": 1,
                          "maxLength": 256
                        },
                        {
                          "type": "null"
                        }
                      ]
                    }
                  },
                  {
                    "type": "null"
                  }
                ],
                "description": "Extra model inputs: numbers, categories (strings of at most 256 bytes) or null for missing; at most 200, each named in 1 to 64 bytes."
              }
            },
            "required": [
              "product_id",
              "device_id",
              "shipping_address",
              "payment_instrument",
              "age_years",
              "identity_verified"
            ],
            "additionalProperties": false
          },
          "OrderCapture": {
            "type": "object",
            "properties": {
              "id": {
                "type": "string"
              },
              "plan_id": {
                "type": "string"
              },
              "amount": {
                "$ref": "#/components/schemas/Money"
              },
              "at": {
                "$ref": "#/components/schemas/Instant"
              }
            },
            "required": [
              "id",
              "plan_id",
              "amount",
              "at"
            ],
            "additionalProperties": false
          },
          "RefundPortion": {
            "type": "object",
            "properties": {
              "plan_id": {
                "type": "string"
              },
              "amount": {
                "$ref": "#/components/schemas/Money"
              }
            },
            "required": [
              "plan_id",
              "amount"
            ],
            "additionalProperties": false
          },
          "OrderRefund": {
            "type": "object",
            "properties": {
              "id": {
                "type": "string"
              },
              "amount": {
                "$ref": "#/components/schemas/Money"
              },
              "allocations": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/RefundPortion"
                }
              },
              "at": {
                "$ref": "#/components/schemas/Instant"
              }
            },
            "required": [
              "id",
              "amount",
              "allocations",
              "at"
            ],
            "additionalProperties": false
          },
          "Order": {
            "type": "object",
            "properties": {
              "id": {
                "type": "string"
              },
              "state": {
                "type": "string",
                "enum": [
                  "authorized",
                  "partially_captured",
                  "captured",
                  "cancelled",
                  "expired"
                ]
              },
              "merchant_reference": {
                "type": "string"
              },
              "product_id": {
                "type": "string"
              },
              "authorized": {
                "$ref": "#/components/schemas/Money"
              },
              "captured": {
                "$ref": "#/components/schemas/Money"
              },
              "refunded": {
                "$ref": "#/components/schemas/Money"
              },
              "remaining_authorization": {
                "$ref": "#/components/schemas/Money"
              },
              "authorized_at": {
                "$ref": "#/components/schemas/Instant"
              },
              "expires_at": {
                "$ref": "#/components/schemas/Instant"
              },
              "captures": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/OrderCapture"
                }
              },
              "refunds": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/OrderRefund"
                }
              },
              "promotion": {
                "type": "object",
                "description": "The merchant-funded promotion the order was authorized with."
              },
              "delivery": {
                "type": "object",
                "description": "The confirmed delivery; try-then-pay counts its due date from it.",
                "properties": {
                  "delivered_on": {
                    "type": "string",
                    "format": "date"
                  },
                  "confirmed_on": {
                    "type": "string",
                    "format": "date"
                  }
                }
              }
            },
            "required": [
              "id",
              "state",
              "merchant_reference",
              "product_id",
              "authorized",
              "captured",
              "refunded",
              "remaining_authorization",
              "authorized_at",
              "expires_at",
              "captures",
              "refunds"
            ],
            "additionalProperties": false,
            "description": "The authoritative state of an order: poll it rather than trust a webhook."
          },
          "Authorization": {
            "type": "object",
            "properties": {
              "decision": {
                "type": "string",
                "enum": [
                  "approved",
                  "declined",
                  "referred"
                ]
              },
              "decision_id": {
                "type": "string",
                "description": "The decision that decided the checkout: the checkout's id, or `<checkout id>:review` once a person reviewed its referral."
              },
              "reasons": {
                "type": "array",
                "items": {
                  "type": "string"
                }
              },
              "order": {
                "$ref": "#/components/schemas/Order"
              }
            },
            "required": [
              "decision",
              "decision_id",
              "reasons"
            ],
            "additionalProperties": false,
            "description": "On approval, `order` is the new order."
          },
          "Configuration": {
            "type": "object",
            "properties": {
              "jurisdiction": {
                "type": "string"
              },
              "pricing": {
                "type": "object",
                "description": "What the merchant pays at settlement: discount_rate_bp of each capture plus the fixed fee per order in its currency (on the order's first capture), and the changes scheduled from a settlement date on (each the whole pricing from effective_on).",
                "properties": {
                  "discount_rate_bp": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 10000
                  },
                  "fixed_fees": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Money"
                    }
                  },
                  "scheduled": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "properties": {
                        "effective_on": {
                          "type": "string",
                          "format": "date"
                        },
                        "discount_rate_bp": {
                          "type": "integer",
                          "minimum": 0,
                          "maximum": 10000
                        },
                        "fixed_fees": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Money"
                          }
                        }
                      },
                      "required": [
                        "effective_on",
                        "discount_rate_bp",
                        "fixed_fees"
                      ],
                      "additionalProperties": false
                    }
                  }
                },
                "required": [
                  "discount_rate_bp",
                  "fixed_fees",
                  "scheduled"
                ],
                "additionalProperties": false
              },
              "checkout_confirmation": {
                "type": "string",
                "enum": [
                  "merchant",
                  "shopper"
                ],
                "description": "Who confirms this merchant's checkouts before they can be authorized: the merchant (its word), or the shopper (POST /v1/me/checkouts/{id}/confirm with their own token; until then authorize is 409 shopper-confirmation)."
              },
              "time_zone": {
                "type": "string",
                "description": "The catalog's time zone, an IANA name such as Asia/Shanghai (UTC without one): every date in the API (due_date, purchase_date, statement_date, new_due_date, delivered_on, a statement's due_date in its path) is a local date of this zone."
              },
              "products": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "id": {
                      "type": "string"
                    },
                    "kind": {
                      "type": "string"
                    },
                    "installments": {
                      "type": "integer",
                      "minimum": 1
                    },
                    "limits": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "properties": {
                          "currency": {
                            "type": "string"
                          },
                          "minimum": {
                            "$ref": "#/components/schemas/Money"
                          },
                          "maximum": {
                            "$ref": "#/components/schemas/Money"
                          }
                        },
                        "required": [
                          "currency",
                          "minimum",
                          "maximum"
                        ],
                        "additionalProperties": false
                      }
                    }
                  },
                  "required": [
                    "id",
                    "kind",
                    "installments",
                    "limits"
                  ],
                  "additionalProperties": false
                }
              }
            },
            "required": [
              "jurisdiction",
              "time_zone",
              "products",
              "checkout_confirmation",
              "pricing"
            ],
            "additionalProperties": false
          },
          "MerchantBalance": {
            "type": "object",
            "description": "`balance` is the merchant payable's posted balance now: what the latest settlement carried over (`carried_over`, zero or negative; zero before the first settlement) plus the net of every line since (`since_latest_settlement`: captures, less refunds and promotion subsidies, and any adjustment). Below zero, the merchant owes the platform that much. The next settlement takes its discount from the lines since the latest one, so a positive balance is not yet a payout.",
            "properties": {
              "currency": {
                "type": "string"
              },
              "balance": {
                "$ref": "#/components/schemas/Money"
              },
              "carried_over": {
                "$ref": "#/components/schemas/Money"
              },
              "since_latest_settlement": {
                "$ref": "#/components/schemas/Money"
              },
              "latest_settlement": {
                "oneOf": [
                  {
                    "$ref": "#/components/schemas/Settlement"
                  },
                  {
                    "type": "null"
                  }
                ],
                "description": "The latest settlement in the currency, as GET /v1/settlements lists it; null before the first."
              }
            },
            "required": [
              "currency",
              "balance",
              "carried_over",
              "since_latest_settlement",
              "latest_settlement"
            ],
            "additionalProperties": false
          },
          "Settlement": {
            "type": "object",
            "properties": {
              "id": {
                "type": "string"
              },
              "cutoff": {
                "$ref": "#/components/schemas/Instant"
              },
              "currency": {
                "type": "string",
                "description": "ISO 4217 code of every amount"
              },
              "brought_forward": {
                "$ref": "#/components/schemas/Money"
              },
              "gross": {
                "$ref": "#/components/schemas/Money"
              },
              "refunds": {
                "$ref": "#/components/schemas/Money"
              },
              "subsidies": {
                "$ref": "#/components/schemas/Money"
              },
              "adjustments": {
                "$ref": "#/components/schemas/Money"
              },
              "discount": {
                "$ref": "#/components/schemas/Money"
              },
              "payout": {
                "$ref": "#/components/schemas/Money"
              },
              "carried_over": {
                "$ref": "#/components/schemas/Money"
              },
              "lines": {
                "type": "integer",
                "minimum": 0,
                "description": "How many lines"
              },
              "number": {
                "type": "integer",
                "minimum": 1,
                "description": "The merchant's 1st, 2nd, ... settlement in this currency"
              },
              "period_start": {
                "description": "The period covered runs from this instant (exclusive; the latest earlier cutoff) to `cutoff`; null for the first settlement",
                "oneOf": [
                  {
                    "type": "string",
                    "format": "date-time"
                  },
                  {
                    "type": "null"
                  }
                ]
              },
              "discount_rate_bp": {
                "type": "integer",
                "minimum": 0,
                "maximum": 10000,
                "description": "The merchant's discount rate applied, in basis points"
              },
              "fixed_fee": {
                "$ref": "#/components/schemas/Money"
              },
              "created_at": {
                "$ref": "#/components/schemas/Instant"
              },
              "line_items": {
                "type": "array",
                "description": "Only in GET /v1/settlements/{id}: the lines in ledger order.",
                "items": {
                  "type": "object",
                  "properties": {
                    "line": {
                      "type": "integer",
                      "minimum": 1
                    },
                    "transfer_id": {
                      "type": "string"
                    },
                    "kind": {
                      "type": "string",
                      "enum": [
                        "capture",
                        "refund",
                        "promotion_subsidy",
                        "adjustment"
                      ]
                    },
                    "amount": {
                      "$ref": "#/components/schemas/Money"
                    },
                    "discount": {
                      "$ref": "#/components/schemas/Money"
                    },
                    "net": {
                      "$ref": "#/components/schemas/Money"
                    },
                    "at": {
                      "type": "string",
                      "format": "date-time",
                      "description": "When the line was posted (RFC 3339 instant)"
                    },
                    "order_id": {
                      "$ref": "#/components/schemas/NullableString"
                    },
                    "plan_id": {
                      "$ref": "#/components/schemas/NullableString"
                    },
                    "merchant_reference": {
                      "$ref": "#/components/schemas/NullableString"
                    },
                    "capture_id": {
                      "$ref": "#/components/schemas/NullableString"
                    },
                    "refund_id": {
                      "$ref": "#/components/schemas/NullableString"
                    }
                  },
                  "required": [
                    "line",
                    "transfer_id",
                    "kind",
                    "amount",
                    "discount",
                    "net",
                    "at",
                    "order_id",
                    "plan_id",
                    "merchant_reference",
                    "capture_id",
                    "refund_id"
                  ],
                  "additionalProperties": false
                }
              }
            },
            "required": [
              "id",
              "cutoff",
              "currency",
              "brought_forward",
              "gross",
              "refunds",
              "subsidies",
              "adjustments",
              "discount",
              "payout",
              "carried_over",
              "lines",
              "number",
              "period_start",
              "discount_rate_bp",
              "fixed_fee",
              "created_at"
            ],
            "additionalProperties": false,
            "description": "One merchant settlement, as settlement.paid carries it: brought_forward + gross - refunds - subsidies + adjustments - discount = payout + carried_over (brought_forward is the previous settlement's carried_over, zero or negative)."
          },
          "PlanStatusOn": {
            "type": "object",
            "properties": {
              "on": {
                "$ref": "#/components/schemas/Date"
              }
            },
            "required": [
              "on"
            ],
            "additionalProperties": false
          },
          "PlanStatus": {
            "description": "`{\"active\": {}}`, `{\"paid_off\": {\"on\": DATE}}` or `{\"closed_by_refund\": {\"on\": DATE}}`.",
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "active": {
                    "type": "object",
                    "properties": {},
                    "additionalProperties": false
                  }
                },
                "required": [
                  "active"
                ],
                "additionalProperties": false
              },
              {
                "type": "object",
                "properties": {
                  "paid_off": {
                    "$ref": "#/components/schemas/PlanStatusOn"
                  }
                },
                "required": [
                  "paid_off"
                ],
                "additionalProperties": false
              },
              {
                "type": "object",
                "properties": {
                  "closed_by_refund": {
                    "$ref": "#/components/schemas/PlanStatusOn"
                  }
                },
                "required": [
                  "closed_by_refund"
                ],
                "additionalProperties": false
              }
            ]
          },
          "Plan": {
            "type": "object",
            "properties": {
              "id": {
                "type": "string"
              },
              "merchant_id": {
                "type": "string"
              },
              "product_id": {
                "type": "string"
              },
              "status": {
                "type": "string",
                "description": "`paid_off` once the shopper paid everything; `closed_by_refund` once merchant refunds took off everything not paid, and whenever they took all the principal, paid off before or not (what was paid went to the shopper's credit balance).",
                "enum": [
                  "active",
                  "paid_off",
                  "closed_by_refund"
                ]
              },
              "owed": {
                "$ref": "#/components/schemas/Money"
              },
              "installments": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "number": {
                      "type": "integer"
                    },
                    "due_date": {
                      "$ref": "#/components/schemas/Date"
                    },
                    "principal": {
                      "$ref": "#/components/schemas/Money"
                    },
                    "fee": {
                      "$ref": "#/components/schemas/Money"
                    },
                    "late_fee": {
                      "$ref": "#/components/schemas/Money"
                    },
                    "paid": {
                      "$ref": "#/components/schemas/Money"
                    },
                    "owed": {
                      "$ref": "#/components/schemas/Money"
                    }
                  },
                  "required": [
                    "number",
                    "due_date",
                    "principal",
                    "fee",
                    "late_fee",
                    "paid",
                    "owed"
                  ],
                  "additionalProperties": false
                }
              },
              "return_pause": {
                "type": "object",
                "description": "The return the shopper reported (POST /v1/me/orders/{id}/report-return), absent when none: due dates that fell inside it are shown moved to `ends_on`, and no late fee is charged while it lasts. A merchant refund ends it a week after the refund's date, if that is earlier.",
                "properties": {
                  "reported_on": {
                    "$ref": "#/components/schemas/Date"
                  },
                  "ends_on": {
                    "$ref": "#/components/schemas/Date"
                  }
                },
                "required": [
                  "reported_on",
                  "ends_on"
                ],
                "additionalProperties": false
              },
              "split": {
                "type": "object",
                "description": "A monthly-bill purchase the shopper split into monthly installments, absent otherwise: the statement it was on (`statement_due_date`, which GET /v1/me/statements no longer lists once every purchase on it is split), the day it was split and into how many months.",
                "properties": {
                  "statement_due_date": {
                    "$ref": "#/components/schemas/Date"
                  },
                  "split_on": {
                    "$ref": "#/components/schemas/Date"
                  },
                  "months": {
                    "$ref": "#/components/schemas/SplitMonths"
                  }
                },
                "required": [
                  "statement_due_date",
                  "split_on",
                  "months"
                ],
                "additionalProperties": false
              }
            },
            "required": [
              "id",
              "merchant_id",
              "product_id",
              "status",
              "owed",
              "installments"
            ],
            "additionalProperties": false
          },
          "PaymentReceipt": {
            "type": "object",
            "properties": {
              "operation_id": {
                "type": "string"
              },
              "plan_id": {
                "type": "string"
              },
              "amount": {
                "$ref": "#/components/schemas/Money"
              },
              "principal": {
                "$ref": "#/components/schemas/Money"
              },
              "fees": {
                "$ref": "#/components/schemas/Money"
              },
              "late_fees": {
                "$ref": "#/components/schemas/Money"
              },
              "overpayment": {
                "$ref": "#/components/schemas/Money"
              },
              "owed_after": {
                "$ref": "#/components/schemas/Money"
              },
              "status": {
                "$ref": "#/components/schemas/PlanStatus"
              },
              "rebate": {
                "$ref": "#/components/schemas/Money"
              },
              "fees_returned": {
                "$ref": "#/components/schemas/Money"
              }
            },
            "required": [
              "operation_id",
              "plan_id",
              "amount",
              "principal",
              "fees",
              "late_fees",
              "overpayment",
              "owed_after",
              "status"
            ],
            "additionalProperties": false
          },
          "PayoffQuote": {
            "type": "object",
            "properties": {
              "plan_id": {
                "type": "string"
              },
              "date": {
                "type": "string",
                "description": "ISO 8601 date"
              },
              "amount": {
                "$ref": "#/components/schemas/Money"
              },
              "principal": {
                "$ref": "#/components/schemas/Money"
              },
              "fees": {
                "$ref": "#/components/schemas/Money"
              },
              "late_fees": {
                "$ref": "#/components/schemas/Money"
              },
              "rebate": {
                "$ref": "#/components/schemas/Money"
              },
              "fees_returned": {
                "$ref": "#/components/schemas/Money"
              },
              "remaining_scheduled": {
                "$ref": "#/components/schemas/Money"
              }
            },
            "required": [
              "plan_id",
              "date",
              "amount",
              "principal",
              "fees",
              "late_fees",
              "rebate",
              "fees_returned",
              "remaining_scheduled"
            ],
            "additionalProperties": false
          },
          "ExtensionReceipt": {
            "type": "object",
            "properties": {
              "operation_id": {
                "type": "string"
              },
              "plan_id": {
                "type": "string"
              },
              "installment": {
                "type": "integer"
              },
              "new_due_date": {
                "$ref": "#/components/schemas/Date"
              },
              "fee": {
                "$ref": "#/components/schemas/Money"
              }
            },
            "required": [
              "operation_id",
              "plan_id",
              "installment",
              "new_due_date",
              "fee"
            ],
            "additionalProperties": false
          },
          "StatementLine": {
            "type": "object",
            "description": "One purchase on a statement, owed in full on the due date.",
            "properties": {
              "plan_id": {
                "type": "string"
              },
              "order_id": {
                "type": "string",
                "description": "The checkout order, when the purchase came from checkout."
              },
              "purchase_date": {
                "type": "string",
                "format": "date",
                "description": "ISO 8601 date of the purchase"
              },
              "amount": {
                "$ref": "#/components/schemas/Money"
              },
              "owed": {
                "$ref": "#/components/schemas/Money"
              }
            },
            "required": [
              "plan_id",
              "purchase_date",
              "amount",
              "owed"
            ],
            "additionalProperties": false
          },
          "Statement": {
            "type": "object",
            "description": "A monthly-bill statement: the purchases of one product in one currency due on one day, those made in one billing period; a purchase whose due date was extended or deferred by a return pause is on the statement of its new due date instead.",
            "properties": {
              "product_id": {
                "type": "string"
              },
              "currency": {
                "type": "string",
                "pattern": "^[A-Z]{3}$"
              },
              "statement_date": {
                "type": "string",
                "format": "date",
                "description": "ISO 8601 date the statement is drawn up"
              },
              "due_date": {
                "type": "string",
                "format": "date",
                "description": "ISO 8601 date it must be paid or split by"
              },
              "lines": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/StatementLine"
                }
              },
              "total": {
                "$ref": "#/components/schemas/Money"
              },
              "owed": {
                "$ref": "#/components/schemas/Money"
              },
              "split_plan_ids": {
                "type": "array",
                "items": {
                  "type": "string"
                },
                "description": "Purchases of the period split into installments, now owed on their own plans."
              }
            },
            "required": [
              "product_id",
              "currency",
              "statement_date",
              "due_date",
              "lines",
              "total",
              "owed",
              "split_plan_ids"
            ],
            "additionalProperties": false
          },
          "ShopperDecision": {
            "type": "object",
            "description": "A credit decision as its shopper sees it: never the operator's detail, the score, the model or the arm. `approved_amount` and `limit` (the shopper's limit after it) are present for approvals only. A checkout's decision has the checkout's id.",
            "properties": {
              "id": {
                "type": "string"
              },
              "decided_at": {
                "$ref": "#/components/schemas/Instant"
              },
              "outcome": {
                "type": "string",
                "enum": [
                  "approved",
                  "declined",
                  "referred"
                ]
              },
              "amount": {
                "$ref": "#/components/schemas/Money"
              },
              "merchant_id": {
                "type": "string"
              },
              "reasons": {
                "type": "array",
                "items": {
                  "type": "string"
                }
              },
              "approved_amount": {
                "$ref": "#/components/schemas/Money"
              },
              "limit": {
                "$ref": "#/components/schemas/Money"
              }
            },
            "required": [
              "id",
              "decided_at",
              "outcome",
              "amount",
              "merchant_id",
              "reasons"
            ],
            "additionalProperties": false
          },
          "SpendingCap": {
            "type": "object",
            "properties": {
              "spending_cap": {
                "$ref": "#/components/schemas/Money"
              }
            },
            "additionalProperties": false,
            "description": "`spending_cap` is absent when the shopper has set none."
          },
          "WebhookEndpoint": {
            "type": "object",
            "description": "A registered endpoint; its secret is shown only when it is registered.",
            "properties": {
              "id": {
                "type": "string"
              },
              "url": {
                "type": "string"
              },
              "created_at": {
                "$ref": "#/components/schemas/Instant"
              },
              "active": {
                "type": "boolean"
              }
            },
            "required": [
              "id",
              "url",
              "created_at",
              "active"
            ],
            "additionalProperties": false
          },
          "WebhookEventType": {
            "type": "string",
            "enum": [
              "order.authorized",
              "order.captured",
              "order.refunded",
              "order.cancelled",
              "order.expired",
              "order.authorization_released",
              "plan.paid_off",
              "plan.overdue",
              "settlement.paid",
              "settlement.carried_over",
              "checkout.declined",
              "checkout.confirmed"
            ]
          },
          "WebhookDeliveryGeneration": {
            "type": "integer",
            "minimum": 0,
            "description": "0 for the original delivery, 1, 2, … for replays."
          },
          "WebhookDeliveryState": {
            "type": "string",
            "enum": [
              "pending",
              "delivered",
              "dead"
            ]
          },
          "WebhookDeliveryNextAttemptAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time",
            "description": "When a pending delivery is next tried; null once it is delivered or dead, and while it waits for something else (`waiting_for`)."
          },
          "WebhookDeliveryWaitingFor": {
            "type": [
              "string",
              "null"
            ],
            "enum": [
              "earlier_event",
              "endpoint_removed",
              null
            ],
            "description": "What a pending delivery waits for besides its time: an earlier event of the same order still pending for the same endpoint (`waiting_for_event_id`), or nothing ever, its endpoint having been removed; null when it is simply due at `next_attempt_at`."
          },
          "WebhookDeliveryWaitingForEventId": {
            "type": [
              "string",
              "null"
            ],
            "description": "With `earlier_event`: the event it goes after."
          },
          "WebhookDelivery": {
            "type": "object",
            "description": "One delivery of an event to one endpoint.",
            "properties": {
              "endpoint_id": {
                "type": "string"
              },
              "generation": {
                "$ref": "#/components/schemas/WebhookDeliveryGeneration"
              },
              "state": {
                "$ref": "#/components/schemas/WebhookDeliveryState"
              },
              "attempts": {
                "type": "integer",
                "minimum": 0
              },
              "next_attempt_at": {
                "$ref": "#/components/schemas/WebhookDeliveryNextAttemptAt"
              },
              "last_status": {
                "type": [
                  "integer",
                  "null"
                ]
              },
              "last_error": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "delivered_at": {
                "$ref": "#/components/schemas/NullableInstant"
              },
              "created_at": {
                "$ref": "#/components/schemas/Instant"
              },
              "waiting_for": {
                "$ref": "#/components/schemas/WebhookDeliveryWaitingFor"
              },
              "waiting_for_event_id": {
                "$ref": "#/components/schemas/WebhookDeliveryWaitingForEventId"
              }
            },
            "required": [
              "endpoint_id",
              "generation",
              "state",
              "attempts",
              "next_attempt_at",
              "waiting_for",
              "waiting_for_event_id",
              "last_status",
              "last_error",
              "delivered_at",
              "created_at"
            ],
            "additionalProperties": false
          },
          "WebhookDeliveryWithLog": {
            "type": "object",
            "description": "One delivery of an event to one endpoint, with every attempt.",
            "properties": {
              "endpoint_id": {
                "type": "string"
              },
              "generation": {
                "$ref": "#/components/schemas/WebhookDeliveryGeneration"
              },
              "state": {
                "$ref": "#/components/schemas/WebhookDeliveryState"
              },
              "attempts": {
                "type": "integer",
                "minimum": 0
              },
              "next_attempt_at": {
                "$ref": "#/components/schemas/WebhookDeliveryNextAttemptAt"
              },
              "last_status": {
                "type": [
                  "integer",
                  "null"
                ]
              },
              "last_error": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "delivered_at": {
                "$ref": "#/components/schemas/NullableInstant"
              },
              "created_at": {
                "$ref": "#/components/schemas/Instant"
              },
              "log": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "attempt": {
                      "type": "integer",
                      "minimum": 1
                    },
                    "started_at": {
                      "$ref": "#/components/schemas/Instant"
                    },
                    "duration_ms": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "status": {
                      "type": [
                        "integer",
                        "null"
                      ],
                      "description": "The HTTP status, or null when the request failed before a response."
                    },
                    "error": {
                      "type": [
                        "string",
                        "null"
                      ]
                    }
                  },
                  "required": [
                    "attempt",
                    "started_at",
                    "duration_ms",
                    "status",
                    "error"
                  ],
                  "additionalProperties": false
                }
              },
              "waiting_for": {
                "$ref": "#/components/schemas/WebhookDeliveryWaitingFor"
              },
              "waiting_for_event_id": {
                "$ref": "#/components/schemas/WebhookDeliveryWaitingForEventId"
              }
            },
            "required": [
              "endpoint_id",
              "generation",
              "state",
              "attempts",
              "next_attempt_at",
              "waiting_for",
              "waiting_for_event_id",
              "last_status",
              "last_error",
              "delivered_at",
              "created_at",
              "log"
            ],
            "additionalProperties": false
          },
          "WebhookEventSummary": {
            "type": "object",
            "properties": {
              "id": {
                "type": "string"
              },
              "order_id": {
                "type": "string"
              },
              "sequence": {
                "type": "integer",
                "minimum": 1
              },
              "type": {
                "$ref": "#/components/schemas/WebhookEventType"
              },
              "created_at": {
                "$ref": "#/components/schemas/Instant"
              },
              "deliveries": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/WebhookDelivery"
                }
              }
            },
            "required": [
              "id",
              "order_id",
              "sequence",
              "type",
              "created_at",
              "deliveries"
            ],
            "additionalProperties": false
          }
        },
        "responses": {
          "BadRequest": {
            "description": "Malformed JSON (also: a name given twice in one object, with field pointing at it, or nesting deeper than 512 levels), a body that is not UTF-8, a header value that is not UTF-8 (field naming the header), a request whose framing is unsafe (Content-Length twice with different values, Transfer-Encoding with Content-Length, a header name that is not a token or has whitespace before its colon, a folded header line; the connection is closed), an HTTP/1.1 request without exactly one Host, Authorization, Idempotency-Key or Content-Type given twice, or a missing or invalid Idempotency-Key (type …/malformed-json, …/invalid-utf8, …/malformed-request, …/idempotency-key-required).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "MalformedRequest": {
            "description": "The request cannot be read safely, whatever the operation (type …/malformed-request, with field naming the header): an HTTP/1.1 request without exactly one Host, Authorization or Content-Type given twice, or framing two readers could place differently (Content-Length twice with different values, Transfer-Encoding with Content-Length, a transfer coding other than chunked, Transfer-Encoding in HTTP/1.0, a header name that is not a token or has whitespace before its colon, a folded header line; then the connection is closed). See docs/API.md, Transport.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "Unauthorized": {
            "description": "Missing or wrong bearer credentials (type …/unauthorized).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "NotFound": {
            "description": "No such resource for this caller (type …/not-found).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "MethodNotAllowed": {
            "description": "The path exists with other methods; `Allow` lists them (type …/method-not-allowed).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            },
            "headers": {
              "Allow": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "Conflict": {
            "description": "A request with the same Idempotency-Key is still in progress, or the resource's state does not allow this (…/idempotency-in-flight, …/conflict, …/order-state, …/checkout-decided, …/checkout-state, …/shopper-confirmation, …/credit-unavailable, …/ledger-rejected, …/ambiguous-statement).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            },
            "headers": {
              "Retry-After": {
                "schema": {
                  "type": "integer",
                  "minimum": 0
                },
                "description": "With …/idempotency-in-flight and …/conflict: when to retry"
              }
            }
          },
          "PayloadTooLarge": {
            "description": "The body is larger than the server accepts (1 MiB by default; …/body-too-large).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "UnsupportedMediaType": {
            "description": "The body is not `application/json` (…/unsupported-media-type).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            },
            "headers": {
              "Accept": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "Unprocessable": {
            "description": "A field is invalid or a business rule refuses the request; `field` names the JSON pointer (…/validation, …/idempotency-mismatch, …/total-mismatch, …/no-product, …/product-not-offered, …/order-amount, …/plan-rule, …/statement-rule, …/underwriting, …/spending-cap-currency, …/credit-balance, …/delivery, …/settlement, …/webhook).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "TooManyRequests": {
            "description": "Rate limited per merchant or shopper; retry after `Retry-After` seconds (…/rate-limited).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            },
            "headers": {
              "Retry-After": {
                "$ref": "#/components/headers/RetryAfter"
              }
            }
          },
          "ServiceUnavailable": {
            "description": "The store cannot serve right now (restarting, out of connections or disk); nothing was changed: retry after `Retry-After` seconds (…/unavailable).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            },
            "headers": {
              "Retry-After": {
                "$ref": "#/components/headers/RetryAfter"
              }
            }
          }
        },
        "headers": {
          "IdempotentReplayed": {
            "description": "`true` when this is a stored response replayed for a repeated Idempotency-Key.",
            "schema": {
              "type": "string",
              "enum": [
                "true"
              ]
            }
          },
          "RetryAfter": {
            "schema": {
              "type": "integer",
              "minimum": 0
            }
          }
        }
      }
    }
    """#
}

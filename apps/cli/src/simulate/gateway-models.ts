/** The models a simulated gateway routes to, with list prices in nano-dollars per token. */
export interface GatewayModel {
  provider: string;
  model: string;
  inputNanosPerToken: number;
  outputNanosPerToken: number;
  /** relative share of the traffic */
  weight: number;
}

export const GATEWAY_MODELS: readonly GatewayModel[] = [
  {
    provider: 'openai',
    model: 'gpt-4o',
    inputNanosPerToken: 2_500,
    outputNanosPerToken: 10_000,
    weight: 20,
  },
  {
    provider: 'openai',
    model: 'gpt-4o-mini',
    inputNanosPerToken: 150,
    outputNanosPerToken: 600,
    weight: 30,
  },
  {
    provider: 'openai',
    model: 'o3-mini',
    inputNanosPerToken: 1_100,
    outputNanosPerToken: 4_400,
    weight: 5,
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    inputNanosPerToken: 3_000,
    outputNanosPerToken: 15_000,
    weight: 15,
  },
  {
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    inputNanosPerToken: 1_000,
    outputNanosPerToken: 5_000,
    weight: 10,
  },
  {
    provider: 'google',
    model: 'gemini-2.5-pro',
    inputNanosPerToken: 1_250,
    outputNanosPerToken: 10_000,
    weight: 8,
  },
  {
    provider: 'google',
    model: 'gemini-2.5-flash',
    inputNanosPerToken: 300,
    outputNanosPerToken: 2_500,
    weight: 8,
  },
  {
    provider: 'mistral',
    model: 'mistral-large',
    inputNanosPerToken: 2_000,
    outputNanosPerToken: 6_000,
    weight: 4,
  },
];

export const GATEWAY_PROVIDERS = [...new Set(GATEWAY_MODELS.map((m) => m.provider))];

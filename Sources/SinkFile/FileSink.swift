internal import AsyncSinks

"""HTTP routes; each module is one APIRouter."""
